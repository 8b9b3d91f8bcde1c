import type { Dataset } from './data/dataset'
import type { Engine } from './engine/engine'
import type { ElementCheck, ParamCheck } from './engine/gradient-check'
import type { GradientBug } from './engine/gradient-bug'
import type { NamedParam, NetworkConfig } from './engine/network-config'
import type { EvalReport, TrainerStart } from './engine/trainer'
import type { TrainConfig, TrainingSummary } from './engine/train-config'
import type { OptimizerState } from './engine/optimizer'
import type { SamplerState } from './engine/batch-sampler'
import type { WatchdogAlarm } from './engine/watchdog'
import type { LayerStatsSample } from './engine/layer-stats'
import type { LiveWeights } from './live-weights'

export type { WatchdogAlarm }
export type { ElementCheck, EvalReport, GradientBug, ParamCheck, TrainerStart }

/** Progress messages go out at most this often (20 a second), from the worker and from offloaded evaluation alike. */
export const PROGRESS_FLUSH_MS = 50

/** One progress message: at most about 20 a second, carrying every loss since the last one. */
export interface TrainProgress {
  /** Iterations completed in this run so far. */
  iter: number
  totalIters: number
  /** Epochs completed (fractional), counting those of a resumed model. */
  epoch: number
  elapsedMs: number
  /** Estimated time left at the current pace; NaN before there is a pace. */
  etaMs: number
  itersPerSecond: number
  /** Run iteration index of losses[0]. */
  lossStart: number
  /** Mini-batch loss of each iteration since the previous message; none is dropped. */
  losses: Float64Array
  /** Evaluations finished since the previous message. */
  evals: EvalReport[]
  state: 'running' | 'paused' | 'evaluating'
  /**
   * Weights at evaluation points, when the request asked to evaluate elsewhere: the main
   * process evaluates them on another worker while this one keeps training.
   */
  snapshots?: EvalSnapshot[]
  /** The watchdog has just paused the run (state 'paused'): what it saw, where, and a hint. */
  watchdog?: WatchdogAlarm
  /** Every layer's weight statistics after a recent step; a few a second (LayerStatsProbe). */
  layerStats?: LayerStatsSample
  /**
   * The weights CONTROL.WEIGHTS asked for, taken between steps. The training service answers
   * liveWeights with them and strips them from what it forwards.
   */
  weights?: LiveWeights
}

/** The weights after iteration `iter`, to be evaluated off the training worker. */
export interface EvalSnapshot {
  iter: number
  epoch: number
  loss: number
  params: NamedParam[]
}

export interface TrainRequest {
  config: TrainConfig
  /** Continue from a saved model instead of a fresh initialisation. */
  start?: TrainerStart
  /**
   * Send the weights at each evaluation point as snapshots instead of evaluating here; the
   * result then carries no evaluations and NaN accuracies, for the caller to fill in.
   */
  offloadEval?: boolean
  /** reference: the book's dense Affine layers; fast (the default): the sparse ones. Same numbers. */
  engine?: Engine
  /** Pause on a non-finite loss or an exploding gradient (the default); false runs unwatched. */
  watchdog?: boolean
  /**
   * 2: the fast engine's large products run on two cores (a helper thread beside the worker),
   * giving the same numbers as 1 (the default).
   */
  threads?: 1 | 2
}

export interface TrainResult {
  /** True when stopped before config.iters; the model holds what was trained so far. */
  stopped: boolean
  summary: TrainingSummary
  params: NamedParam[]
  rngState: number[]
  /** What a resumed run needs to continue bit for bit. */
  optimizerState: OptimizerState
  samplerState: SamplerState
  /** The loss of every iteration of this run, in order (the first is iteration start.iterations). */
  losses: Float64Array
  /** The last watchdog alarm of the run, if any. */
  watchdog?: WatchdogAlarm
  evals: EvalReport[]
  seconds: number
  trainSeconds: number
  evalSeconds: number
}

export interface GradCheckRequest {
  network: NetworkConfig
  seed: number
  /** Training images used, from the start of the set (book: 3). */
  samples: number
  /** Check these parameters instead of a fresh initialisation. */
  params?: NamedParam[]
  /** Inject this bug into the backward pass under test (gradient-check jobs only). */
  bug?: GradientBug
  /** Also send |Δ| per element (within GRADCHECK_ELEMENTS in all), the worst elements and the kinks. */
  detail?: boolean
}

/** Per-element |Δ| crosses the boundary for at most this many elements per check (8 MB). */
export const GRADCHECK_ELEMENTS = 1_000_000

/** Worst elements and kinks listed per parameter. */
export const GRADCHECK_LISTED = 12

export interface GradCheckResult {
  params: ParamCheck[]
  seconds: number
  /** The bug injected, if any. */
  bug?: GradientBug
  /** (rows, cols) of one input image, with detail: W1's rows are its pixels. */
  image?: [number, number]
}

export interface EvaluateRequest {
  network: NetworkConfig
  params: NamedParam[]
  /** Images per split, 0 for all. */
  evalSamples: number
  /** Evaluate on this dataset (its arrays are shared, not copied) rather than the worker's current one. */
  dataset?: Dataset
}

export interface PredictRequest {
  network: NetworkConfig
  params: NamedParam[]
  /** Test-set indices to classify. */
  indices: number[]
}

export interface ConfusionRequest {
  network: NetworkConfig
  params: NamedParam[]
}

export interface Prediction {
  index: number
  label: number
  predicted: number
  /** Softmax output, one per class. */
  probs: Float64Array
}

/**
 * Layout of the Int32Array over a SharedArrayBuffer that steers a running job. STATE is RUN,
 * PAUSE, STOP (halt, then evaluate the final weights) or QUIT (halt at once, no final
 * evaluation: the app is closing). SNAPSHOT is 1 while a snapshot is on its way to the main
 * process: the worker sends the next one only after the main process has taken that one, so
 * at most one is ever in transit whatever evalEvery is. WEIGHTS is a layer number (1 for W1)
 * while the main process waits for that layer's weights, 0 otherwise: one request at a time.
 */
/** EVALUATING: 1 while another worker evaluates this job's snapshot; the job then keeps its second core free for it. */
export const CONTROL = { STATE: 0, STEPS: 1, SNAPSHOT: 2, WEIGHTS: 3, EVALUATING: 4, LENGTH: 5 } as const
export const RUN = 0, PAUSE = 1, STOP = 2, QUIT = 3

/** A one-word Int32Array over a SharedArrayBuffer: a job in a worker gives up once it is nonzero. */
export function newCancelFlag(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT))
}
