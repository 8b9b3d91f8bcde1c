import { OPTIMIZER_EPSILON, type Optimizer, type OptimizerState } from './optimizer'
import { OptimizerSlots } from './optimizer-slots'
import type { Params } from './params'

/**
 * The book's RMSprop: h ← decayRate·h + (1 − decayRate)·grad², then W ← W − lr·grad / (√h + ε).
 * Unlike AdaGrad's sum, h is a moving average, so old gradients fade and the step never dies out.
 */
export class RmsProp implements Optimizer {
  readonly kind = 'rmsprop'
  private readonly slots = new OptimizerSlots(['h'])

  constructor(public lr: number, readonly decayRate = 0.99) {}

  update(params: Params, grads: Params): void {
    const { lr, decayRate } = this
    for (const key in params) {
      const p = params[key].data, g = grads[key].data, h = this.slots.get('h', key, params[key])
      for (let i = 0; i < p.length; i++) {
        h[i] *= decayRate
        h[i] += (1 - decayRate) * g[i] * g[i]
        p[i] -= (lr * g[i]) / (Math.sqrt(h[i]) + OPTIMIZER_EPSILON)
      }
    }
    this.slots.step++
  }

  state(): OptimizerState { return this.slots.state() }
  setState(state: OptimizerState): void { this.slots.setState(state) }
}
