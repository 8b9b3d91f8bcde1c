import { z } from 'zod'
import type { TrainConfig } from '../engine/train-config'
import { LIMITS } from './limits'
import { networkConfigSchema } from './network-config-schema'
import { numberBelow, numberFrom, oneOf, positiveNumber, wholeNumber } from './rules'

/** The update rule; hyperparameters left out take the book's values. */
export const optimizerSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('sgd') }),
  z.strictObject({ kind: z.literal('momentum'), momentum: numberBelow(0, 1).default(0.9) }),
  z.strictObject({ kind: z.literal('nesterov'), momentum: numberBelow(0, 1).default(0.9) }),
  z.strictObject({ kind: z.literal('adagrad') }),
  z.strictObject({ kind: z.literal('rmsprop'), decayRate: numberBelow(0, 1).default(0.99) }),
  z.strictObject({ kind: z.literal('adam'), beta1: numberBelow(0, 1).default(0.9), beta2: numberBelow(0, 1).default(0.999) }),
], { error: 'must be {kind: "sgd"}, "momentum", "nesterov", "adagrad", "rmsprop" or "adam"' })

/** Everything but the network; a model file records these as `training`. */
export const trainingSchema = z.strictObject({
  iters: wholeNumber(1, LIMITS.iters),
  batchSize: wholeNumber(1, LIMITS.batchSize),
  lr: positiveNumber(LIMITS.lr),
  seed: wholeNumber(0, LIMITS.seed),
  evalEvery: wholeNumber(1, LIMITS.iters),
  evalSamples: wholeNumber(0, LIMITS.images),
  sampling: oneOf(['replacement', 'epochs']),
  optimizer: optimizerSchema.default({ kind: 'sgd' }),
  weightDecay: numberFrom(0, LIMITS.weightDecay).default(0),
  dropout: numberBelow(0, 1).default(0),
}) satisfies z.ZodType<Omit<TrainConfig, 'network'>>

/** A training run the back end accepts: the one rule for forms, flags, IPC and model files. */
export const trainConfigSchema = z.strictObject({
  network: networkConfigSchema,
  ...trainingSchema.shape,
}) satisfies z.ZodType<TrainConfig>
