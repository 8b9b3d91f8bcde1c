import { frobeniusNorm } from './frobenius-norm'
import type { MultiLayerNet } from './multi-layer-net'
import type { OptimizerKind } from './optimizer'
import type { Params } from './params'
import { Relu } from './relu'

/** What made the watchdog pause a run. */
export interface WatchdogAlarm {
  kind: 'non-finite-loss' | 'exploding-gradient' | 'dead-relu'
  /** 0-based index of the iteration whose update was held back (or just done, for dead ReLUs). */
  iter: number
  /** Where: a parameter (W2), a layer (ReLU 1) or the loss. */
  layer: string
  /** The value seen: the loss, a gradient norm, or a fraction of dead units. */
  value: number
  /** One line for a person: what happened, where, the value, and a hint. */
  message: string
  hint: string
}

export interface WatchdogOptions {
  /** Largest L2 norm of one parameter's gradient before it counts as exploding. */
  maxGradNorm?: number
  /** Gradient norms are looked at every this many steps after the first `watchFirst` (the loss at every step). */
  normEvery?: number
  /** Steps at the start of a run whose gradient norms are all looked at: a too-high learning rate shows there. */
  watchFirst?: number
  /** For SGD, Momentum and Nesterov: largest lr·‖dW‖ / ‖W‖, a step this many times the weights' own size. */
  maxStepRatio?: number
  /** Pause when the fraction of a ReLU layer's units that are 0 for the whole batch exceeds this; off when absent. */
  maxDeadRelu?: number
}

/** Far above what any healthy run shows (the book's stays below ~1): a gradient on its way to overflow. */
export const MAX_GRAD_NORM = 1e4

/**
 * A gradient step lr·‖dW‖ larger than 3× the weights ‖W‖ it changes. On MNIST the book's run
 * peaks at 0.06, lr 0.5 at 0.26 and lr 1 (which still trains) at 1.3; lr 10 reaches 14 within
 * five steps, throws every hidden ReLU into the dead zone, and the loss stays at ln 10.
 */
export const MAX_STEP_RATIO = 3

/** Optimisers whose step is lr times the gradient (times a momentum factor): the step ratio applies to them. */
const PLAIN_STEP: readonly OptimizerKind[] = ['sgd', 'momentum', 'nesterov']

/** A learning rate each optimiser usually trains MNIST with (the book's chapter 6 comparison). */
const USUAL_LR: Record<OptimizerKind, number> = { sgd: 0.1, momentum: 0.01, nesterov: 0.01, adagrad: 0.01, rmsprop: 0.001, adam: 0.001 }
const NAME: Record<OptimizerKind, string> = { sgd: 'SGD', momentum: 'Momentum', nesterov: 'Nesterov', adagrad: 'AdaGrad', rmsprop: 'RMSprop', adam: 'Adam' }

/**
 * Watches a run for the signs of a diverging or dying network: a loss that is not finite, a
 * gradient whose norm explodes, and optionally ReLU layers gone dead. It is cheap: the loss at
 * every step, the gradient norms every few steps.
 */
export class Watchdog {
  private readonly maxGradNorm: number
  private readonly normEvery: number
  private readonly watchFirst: number
  private readonly maxStepRatio: number
  private steps = 0
  /**
   * Alarms already raised: an exploding gradient or dead ReLUs pause a run once, so that a
   * person who resumes it has overruled them; a non-finite loss holds back every such update.
   */
  private readonly raised = new Set<WatchdogAlarm['kind']>()

  constructor(readonly optimizer: OptimizerKind, readonly lr: number, private readonly options: WatchdogOptions = {}) {
    this.maxGradNorm = options.maxGradNorm ?? MAX_GRAD_NORM
    this.normEvery = options.normEvery ?? 10
    this.watchFirst = options.watchFirst ?? 50
    this.maxStepRatio = options.maxStepRatio ?? MAX_STEP_RATIO
  }

  /** Before an update: an alarm when the loss or the gradients say the update must not be applied. */
  beforeUpdate(iter: number, loss: number, grads: Params, params?: Params): WatchdogAlarm | null {
    if (!Number.isFinite(loss)) {
      const bad = Object.keys(grads).find((k) => !allFinite(grads[k].data))
      return this.alarm('non-finite-loss', iter, bad ?? 'loss', loss, `the loss is ${loss}${bad ? `; the gradient of ${bad} is not finite either` : ''}`)
    }
    const step = this.steps++
    if (this.raised.has('exploding-gradient')) return null
    if (step >= this.watchFirst && step % this.normEvery !== 0) return null
    let worst = '', norm = 0, ratioKey = '', ratio = 0
    const plain = params !== undefined && PLAIN_STEP.includes(this.optimizer)
    for (const key in grads) {
      const n = frobeniusNorm(grads[key].data)
      if (!(n <= norm)) { worst = key; norm = n }
      if (plain && key.startsWith('W')) {
        const w = frobeniusNorm(params[key].data)
        const r = w > 0 ? (this.lr * n) / w : 0
        if (r > ratio) { ratioKey = key; ratio = r }
      }
    }
    if (!(norm <= this.maxGradNorm)) {
      return this.alarm('exploding-gradient', iter, worst, norm, `the gradient of ${worst} has norm ${norm.toPrecision(3)} (above ${this.maxGradNorm})`)
    }
    if (ratio > this.maxStepRatio) {
      return this.alarm('exploding-gradient', iter, ratioKey, ratio, `the step for ${ratioKey} would be ${ratio.toPrecision(3)}× the size of ${ratioKey} itself (lr·‖d${ratioKey}‖ / ‖${ratioKey}‖ above ${this.maxStepRatio})`)
    }
    return null
  }

  /** After an update: dead ReLU layers, when asked to look for them. */
  afterUpdate(iter: number, net: MultiLayerNet): WatchdogAlarm | null {
    const limit = this.options.maxDeadRelu
    if (limit === undefined || this.raised.has('dead-relu') || this.steps % this.normEvery !== 1) return null
    const relus = net.layers.filter((l): l is Relu => l instanceof Relu)
    for (const [i, relu] of relus.entries()) {
      const width = net.config.hiddenSizes[i], mask = relu.mask
      const rows = mask.length / width
      let dead = 0
      for (let j = 0; j < width; j++) {
        let alive = false
        for (let r = 0; r < rows && !alive; r++) alive = mask[r * width + j] === 1
        if (!alive) dead++
      }
      const fraction = dead / width
      if (fraction > limit) {
        return this.alarm('dead-relu', iter, `ReLU ${i + 1}`, fraction, `${Math.round(fraction * 100)}% of the units of ReLU ${i + 1} output 0 for the whole batch`)
      }
    }
    return null
  }

  private alarm(kind: WatchdogAlarm['kind'], iter: number, layer: string, value: number, what: string): WatchdogAlarm {
    const usual = USUAL_LR[this.optimizer]
    const hint = this.lr > usual
      ? `learning rate ${this.lr} is too high for ${NAME[this.optimizer]} here; try ${usual}`
      : kind === 'dead-relu'
        ? 'try He initialisation, a smaller learning rate, or Batch Normalization'
        : `try a smaller learning rate than ${this.lr}, weight decay, or Batch Normalization`
    this.raised.add(kind)
    return { kind, iter, layer, value, hint, message: `watchdog paused training at iteration ${iter}: ${what}; ${hint}` }
  }
}

function allFinite(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false
  return true
}
