import { z } from 'zod'
import { OPTIMIZER_KINDS, type OptimizerKind } from '../engine/optimizer'
import type { SweepSpec } from '../sweep/sweep-spec'
import { LIMITS } from './limits'
import { numberBelow, numberFrom, positiveNumber, wholeNumber } from './rules'
import { trainConfigSchema } from './train-config-schema'

/** Most trials in one sweep. */
export const SWEEP_TRIALS_MAX = 256

/** Most values listed for one hyperparameter. */
export const SWEEP_VALUES_MAX = 32

const list = <T extends z.ZodType>(item: T) =>
  z.array(item, { error: 'must be a list' }).max(SWEEP_VALUES_MAX, { error: `must list at most ${SWEEP_VALUES_MAX} values` }).optional()

/** A sweep the back end accepts, from the app or the CLI. */
export const sweepSpecSchema = z.strictObject({
  mode: z.enum(['grid', 'random'], { error: 'must be "grid" or "random"' }),
  trials: wholeNumber(1, SWEEP_TRIALS_MAX),
  iters: wholeNumber(1, LIMITS.iters),
  seed: wholeNumber(0, LIMITS.seed),
  base: trainConfigSchema,
  space: z.strictObject({
    lr: list(positiveNumber(LIMITS.lr)),
    batchSize: list(wholeNumber(1, LIMITS.batchSize)),
    hiddenSizes: list(z.array(wholeNumber(1, LIMITS.hiddenSize), { error: 'must be a list of layer sizes' }).max(LIMITS.hiddenLayers, { error: `must be a list of 0 to ${LIMITS.hiddenLayers} layer sizes` })),
    optimizer: list(z.enum(OPTIMIZER_KINDS as readonly [OptimizerKind, ...OptimizerKind[]], { error: `must be ${OPTIMIZER_KINDS.join(', ')}` })),
    weightInit: list(z.enum(['std', 'xavier', 'he'], { error: 'must be std, xavier or he' })),
    weightDecay: list(numberFrom(0, LIMITS.weightDecay)),
    dropout: list(numberBelow(0, 1)),
  }),
}) satisfies z.ZodType<SweepSpec, unknown>
