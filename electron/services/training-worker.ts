import type { TrainingApi } from '../workers/training-api'
import { ComlinkWorker, WorkerCrashError, type ComlinkWorkerOptions } from './comlink-worker'

export { WorkerCrashError }

/** A worker thread running the training API (electron/workers/training.worker.ts). */
export type TrainingWorker = ComlinkWorker<TrainingApi>

export function startTrainingWorker(options: ComlinkWorkerOptions = {}): Promise<TrainingWorker> {
  return ComlinkWorker.start<TrainingApi>('training', options)
}
