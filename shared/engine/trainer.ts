import type { Dataset, DataSplit } from '../data/dataset'
import { fillBatch, fillSparseBatch } from '../data/fill-batch'
import { BatchSampler, type SamplerState } from './batch-sampler'
import { createOptimizer } from './create-optimizer'
import type { Engine } from './engine'
import type { KernelHelper } from './kernel-helper'
import { TwoCorePolicy } from './two-core-policy'
import { argmaxRow } from './kernels'
import { zeros, type Matrix } from './matrix'
import { MultiLayerNet } from './multi-layer-net'
import type { NamedParam } from './network-config'
import type { Optimizer, OptimizerState } from './optimizer'
import type { Params } from './params'
import { Random } from './random'
import { SparseRows } from './sparse-rows'
import { optimizerOf, type TrainConfig, type TrainingSummary } from './train-config'

/** Images per forward pass during evaluation: bounded buffers (~2 MB of pixel lists for MNIST), whatever the split size. */
const EVAL_CHUNK = 1000

export interface EvalReport {
  /** 0-based index of the iteration just completed, as the book prints it. */
  iter: number
  /** Epochs completed: (iter + 1) / iterations-per-epoch. */
  epoch: number
  loss: number
  trainAcc: number
  testAcc: number
}

/**
 * Where a run continues from: a saved model's parameters, PRNG state and iteration count, and,
 * for a continuation bit-identical to a run that never stopped, the optimiser's and the
 * sampler's state (without them, the optimiser starts afresh and an epoch sampler starts a new epoch).
 */
export interface TrainerStart {
  params: readonly NamedParam[]
  rngState: readonly number[]
  iterations: number
  optimizerState?: OptimizerState
  samplerState?: SamplerState
}

export interface TrainerOptions {
  /** reference: the book's dense Affine layers on dense batches; fast (the default): the sparse layers. */
  engine?: Engine
  /** A second thread for the large products of the fast engine: faster, and the same numbers. */
  helper?: KernelHelper | null
}

/**
 * One training run: the network, its PRNG, the sampler and the reused batch buffers.
 * The same config, seed and data give a bit-identical run.
 */
export class Trainer {
  readonly net: MultiLayerNet
  readonly rng: Random
  readonly sampler: BatchSampler
  readonly optimizer: Optimizer
  /** With a kernel helper: whether steps use it, by which is faster now. */
  private readonly twoCores: TwoCorePolicy | null
  /** Iterations completed, including those of the run this one resumes. */
  iterations = 0
  lastLoss = Number.NaN
  lastEval: EvalReport | null = null
  /** The mini-batch's nonzero pixels, and its labels; reused every step. */
  private readonly x = new SparseRows()
  private readonly t: Int32Array
  private readonly evalX = new SparseRows()
  private readonly evalT = new Int32Array(EVAL_CHUNK)
  /** The reference engine's batches as the book has them: (rows, pixels) float64. */
  private readonly dense: { x: Matrix; evalX: Matrix } | null

  constructor(readonly config: TrainConfig, readonly data: Dataset, start?: TrainerStart, options: TrainerOptions = {}) {
    this.rng = new Random(config.seed)
    this.net = new MultiLayerNet(config.network, this.rng, options.engine, { weightDecay: config.weightDecay, dropout: config.dropout }, options.helper ?? null)
    this.twoCores = options.helper && options.engine !== 'reference' ? new TwoCorePolicy(options.helper) : null
    const D = config.network.inputSize
    this.dense = options.engine === 'reference' ? { x: zeros(config.batchSize, D), evalX: zeros(EVAL_CHUNK, D) } : null
    this.sampler = new BatchSampler(data.train.count, config.batchSize, config.sampling, this.rng)
    this.optimizer = createOptimizer(optimizerOf(config), config.lr)
    if (start) {
      this.net.importParams(start.params)
      if (start.rngState.length) this.rng.setState(start.rngState)
      this.iterations = start.iterations
      if (start.optimizerState) this.optimizer.setState(start.optimizerState)
      if (start.samplerState) this.sampler.setState(start.samplerState)
    }
    this.t = new Int32Array(config.batchSize)
  }

  /** Images per epoch / batch size, at least 1 (the book's iter_per_epoch). */
  get itersPerEpoch(): number {
    return Math.max(Math.floor(this.data.train.count / this.config.batchSize), 1)
  }

  /** One optimiser step on a fresh mini-batch. Returns the batch loss (weight decay included) before the update. */
  step(): number {
    this.tryStep()
    return this.lastLoss
  }

  /**
   * One step whose update `accept` may hold back, seeing the loss and gradients first (the
   * watchdog refuses a non-finite one, which would wreck the weights). A held step changes
   * neither the parameters nor the iteration count; the batch drawn for it is spent.
   */
  tryStep(accept?: (loss: number, grads: Params) => boolean): boolean {
    const t0 = this.twoCores ? performance.now() : 0
    try {
      return this.step1(accept)
    } finally {
      this.twoCores?.afterStep(performance.now() - t0)
    }
  }

  private step1(accept?: (loss: number, grads: Params) => boolean): boolean {
    const at = this.sampler.next()
    const x = this.batch(this.data.train, this.sampler.order, at, this.config.batchSize, this.t)
    const grads = this.net.gradient(x, this.t)
    if (accept && !accept(this.net.lastLoss, grads)) {
      // still the loss of the weights as they are, on this batch, when it is a number
      if (Number.isFinite(this.net.lastLoss)) this.lastLoss = this.net.lastLoss
      return false
    }
    this.optimizer.update(this.net.params, grads)
    this.iterations++
    this.lastLoss = this.net.lastLoss
    return true
  }

  /** Whether the book would evaluate after the iteration just completed (i % evalEvery == 0). */
  evalDue(): boolean {
    return (this.iterations - 1) % this.config.evalEvery === 0
  }

  /**
   * Accuracy on the first `samples` images of the split (0: all).
   * Returns null when shouldStop says so between chunks, so a stop never waits for a full pass.
   */
  accuracy(split: DataSplit, samples = this.config.evalSamples, shouldStop?: () => boolean): number | null {
    const count = samples > 0 ? Math.min(samples, split.count) : split.count
    let correct = 0
    for (let from = 0; from < count; from += EVAL_CHUNK) {
      if (shouldStop?.()) return null
      const rows = Math.min(EVAL_CHUNK, count - from)
      const t = this.evalT
      const y = this.net.predict(this.batch(split, null, from, rows, t, true))
      for (let r = 0; r < rows; r++) if (argmaxRow(y, r) === t[r]) correct++
    }
    return correct / count
  }

  /** Images idx[from…from+rows) of the split, as the engine takes them, and their labels into t. */
  private batch(split: DataSplit, idx: Int32Array | null, from: number, rows: number, t: Int32Array, evaluation = false): Matrix | SparseRows {
    const D = this.config.network.inputSize
    if (this.dense) {
      const buf = evaluation ? this.dense.evalX : this.dense.x
      const x = rows === buf.rows ? buf : { rows, cols: D, data: buf.data.subarray(0, rows * D) }
      fillBatch(split, idx, from, x, t)
      return x
    }
    const xs = evaluation ? this.evalX : this.x
    fillSparseBatch(split, D, idx, from, rows, xs, t)
    return xs
  }

  /** Train and test accuracy now, recorded as lastEval; null if stopped midway. */
  evaluate(shouldStop?: () => boolean): EvalReport | null {
    const trainAcc = this.accuracy(this.data.train, this.config.evalSamples, shouldStop)
    if (trainAcc === null) return null
    const testAcc = this.accuracy(this.data.test, this.config.evalSamples, shouldStop)
    if (testAcc === null) return null
    this.lastEval = {
      iter: this.iterations - 1,
      epoch: this.iterations / this.itersPerEpoch,
      loss: this.lastLoss,
      trainAcc,
      testAcc,
    }
    return this.lastEval
  }

  summary(): TrainingSummary {
    const e = this.lastEval
    return {
      iterations: this.iterations,
      loss: this.lastLoss,
      trainAcc: e ? e.trainAcc : 0,
      testAcc: e ? e.testAcc : 0,
      dataset: { name: this.data.name, fingerprint: this.data.fingerprint },
    }
  }
}
