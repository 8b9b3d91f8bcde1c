import type { TrainConfig } from '../engine/train-config'
import type { TrainResult } from '../training-events'
import { MODEL_FORMAT, MODEL_VERSION, type ModelFile, type ModelHistory } from './model-file'
import { HISTORY_MAX } from './model-file-schema'
import { trainConfigSchema } from '../schemas/train-config-schema'

/**
 * The model file for a finished or stopped run: its config, summary, PRNG state, weights, and
 * what continuing it needs. `previous` is the history of the model the run continued, if any:
 * the new losses and evaluations are appended to it (keeping the last HISTORY_MAX).
 */
export function modelFromRun(config: TrainConfig, result: TrainResult, savedAt = new Date(), previous?: ModelHistory): ModelFile {
  // the schema's defaults filled in, so the model in memory is the one its file reads back as
  const { network, ...training } = trainConfigSchema.parse(config)
  const iterations = result.summary.iterations
  const losses = result.losses ?? new Float64Array(0)
  const ran = losses.length
  // the previous record continues only if it ends where this run started
  const before = previous && previous.lossStart + previous.losses.length === iterations - ran ? previous : null
  let all = before ? concat(before.losses, losses) : losses
  let evals = before ? [...before.evals, ...result.evals] : [...result.evals]
  if (all.length > HISTORY_MAX) all = all.slice(all.length - HISTORY_MAX)
  if (evals.length > HISTORY_MAX) evals = evals.slice(evals.length - HISTORY_MAX)
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    savedAt: savedAt.toISOString(),
    network,
    training,
    summary: result.summary,
    rngState: result.rngState,
    params: result.params,
    optimizer: result.optimizerState,
    sampler: result.samplerState,
    history: { lossStart: iterations - all.length, losses: all, evals: evals.filter((e) => e.iter >= 0 && e.iter < iterations && Number.isFinite(e.trainAcc) && Number.isFinite(e.testAcc)) },
  }
}

function concat(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}
