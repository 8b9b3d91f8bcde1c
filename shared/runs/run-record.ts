import type { EvalReport } from '../engine/trainer'
import type { TrainConfig, TrainingSummary } from '../engine/train-config'

/** running: being written now, or (when no recorder holds it) cut short by a crash. */
export type RunStatus = 'running' | 'finished' | 'stopped' | 'failed'

export const RUN_FORMAT = 'backprop-studio-run'
export const RUN_VERSION = 1

/** Evaluations kept in a run's metadata; a longer run keeps its last ones. */
export const RUN_EVALS_MAX = 10_000

/** What `<runs>/<id>/run.json` holds. The losses live beside it in binary chunks. */
export interface RunMeta {
  format: typeof RUN_FORMAT
  version: typeof RUN_VERSION
  id: string
  name: string
  startedAt: string
  endedAt: string | null
  /** Wall-clock seconds from start to the last write. */
  seconds: number
  status: RunStatus
  /** The config the run trained with; its seed included. */
  config: TrainConfig
  /** Iterations the model had before this run (a resumed run); its first loss is iteration startIter. */
  startIter: number
  dataset: { name: string; fingerprint: string }
  /** Losses written so far, one per iteration. */
  lossCount: number
  evals: EvalReport[]
  /** The final (or stopped) model's summary; null while running or after a failure. */
  summary: TrainingSummary | null
  error: { name: string; message: string } | null
  /** model.json holds the final model. */
  hasModel: boolean
}

/** One row of the runs table. 'interrupted': a run whose process ended before it did. */
export interface RunSummary {
  id: string
  name: string
  startedAt: string
  seconds: number
  status: RunStatus | 'interrupted'
  config: TrainConfig
  dataset: { name: string; fingerprint: string }
  iterations: number
  /** The last mini-batch loss, NaN with none. */
  loss: number
  /** The last accuracies measured, NaN with none. */
  trainAcc: number
  testAcc: number
  hasModel: boolean
}

/** A run folder that could not be read; the others are listed as usual. */
export interface DamagedRun {
  id: string
  problem: string
}

export interface RunListing {
  runs: RunSummary[]
  damaged: DamagedRun[]
}

/** A run's curves for charts: losses (block means when long, the last one exact) and evaluations. */
export interface RunHistory {
  id: string
  name: string
  /** Iteration number (1-based, counting a resumed model's) of each point. */
  lossIters: Float64Array
  losses: Float64Array
  evals: EvalReport[]
}
