import type { TrainConfig } from '../engine/train-config'
import type { TrainerStart } from '../engine/trainer'
import type { ModelFile } from './model-file'

/**
 * Where a run resumed from a model starts: its weights, PRNG state and iterations, its
 * sampler's state when the sampling is the same, and its optimiser's state when the config
 * keeps the same optimiser (another one starts afresh). With the model's own config, the
 * resumed run is bit-identical to one that never stopped.
 */
export function startFrom(file: ModelFile, config: TrainConfig): TrainerStart {
  const same = (file.training.optimizer?.kind ?? 'sgd') === (config.optimizer?.kind ?? 'sgd')
  return {
    params: file.params,
    rngState: file.rngState,
    iterations: file.summary.iterations,
    ...(same && file.optimizer ? { optimizerState: file.optimizer } : {}),
    ...(file.sampler && file.training.sampling === config.sampling ? { samplerState: file.sampler } : {}),
  }
}
