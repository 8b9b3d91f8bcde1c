import { z } from 'zod'
import type { TrainConfig } from '../engine/train-config'
import { LIMITS } from './limits'
import { networkConfigSchema } from './network-config-schema'
import { oneOf, positiveNumber, wholeNumber } from './rules'

/** Everything but the network; a model file records these as `training`. */
export const trainingSchema = z.strictObject({
  iters: wholeNumber(1, LIMITS.iters),
  batchSize: wholeNumber(1, LIMITS.batchSize),
  lr: positiveNumber(LIMITS.lr),
  seed: wholeNumber(0, LIMITS.seed),
  evalEvery: wholeNumber(1, LIMITS.iters),
  evalSamples: wholeNumber(0, LIMITS.images),
  sampling: oneOf(['replacement', 'epochs']),
}) satisfies z.ZodType<Omit<TrainConfig, 'network'>>

/** A training run the back end accepts: the one rule for forms, flags, IPC and model files. */
export const trainConfigSchema = z.strictObject({
  network: networkConfigSchema,
  ...trainingSchema.shape,
}) satisfies z.ZodType<TrainConfig>
