import type { OptimizerKind } from '../engine/optimizer'
import type { TrainConfig } from '../engine/train-config'

export type InitKind = 'std' | 'xavier' | 'he'

/** The values a sweep tries per hyperparameter; a missing or empty list keeps the base config's value. */
export interface SweepSpace {
  lr?: number[]
  batchSize?: number[]
  hiddenSizes?: number[][]
  optimizer?: OptimizerKind[]
  weightInit?: InitKind[]
  weightDecay?: number[]
  dropout?: number[]
}

/**
 * grid: every combination of the lists, in order (at most `trials` of them); random: `trials`
 * draws, each value picked from its list, except lr, drawn log-uniformly between the smallest
 * and largest listed when two or more are given (Bergstra and Bengio's random search).
 */
export interface SweepSpec {
  mode: 'grid' | 'random'
  trials: number
  /** Iterations of each trial. */
  iters: number
  /** Seeds the random draws; every trial trains with base.seed, so trials differ only in what is swept. */
  seed: number
  base: TrainConfig
  space: SweepSpace
}

export type TrialState = 'queued' | 'running' | 'finished' | 'diverged' | 'cancelled' | 'failed'

export interface SweepTrial {
  index: number
  config: TrainConfig
  state: TrialState
  /** Iterations done. */
  iter: number
  /** Last mini-batch loss, NaN before the first. */
  loss: number
  /** Last accuracies measured, NaN before the first evaluation. */
  trainAcc: number
  testAcc: number
  seconds: number
  /** Mean loss of each block of curveStep iterations done so far. */
  curve: number[]
  curveStep: number
  error?: string
}

export type SweepState = 'idle' | 'running' | 'cancelling' | 'done' | 'cancelled'

export interface SweepStatus {
  sweepId: string | null
  state: SweepState
  mode: SweepSpec['mode'] | null
  trials: SweepTrial[]
  /** Trials that run at once: the worker pool's size. */
  concurrency: number
}
