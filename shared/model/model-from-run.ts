import type { TrainConfig } from '../engine/train-config'
import type { TrainResult } from '../training-events'
import { MODEL_FORMAT, MODEL_VERSION, type ModelFile } from './model-file'

/** The model file for a finished or stopped run: its config, summary, PRNG state and weights. */
export function modelFromRun(config: TrainConfig, result: TrainResult, savedAt = new Date()): ModelFile {
  const { network, ...training } = config
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    savedAt: savedAt.toISOString(),
    network,
    training,
    summary: result.summary,
    rngState: result.rngState,
    params: result.params,
  }
}
