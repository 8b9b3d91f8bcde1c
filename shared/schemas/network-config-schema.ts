import { z } from 'zod'
import type { NetworkConfig } from '../engine/network-config'
import { LIMITS } from './limits'
import { oneOf, positiveNumber, ruleMessage, wholeNumber } from './rules'

export const weightInitSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('std'), std: positiveNumber(LIMITS.std) }),
  z.strictObject({ kind: z.literal('xavier') }),
  z.strictObject({ kind: z.literal('he') }),
], { error: 'must be {kind: "std", std}, {kind: "xavier"} or {kind: "he"}' })

/** A network the engine can build and train: the one rule for forms, flags, IPC and model files. */
export const networkConfigSchema = z.strictObject({
  inputSize: wholeNumber(1, LIMITS.inputSize),
  hiddenSizes: z.array(wholeNumber(1, LIMITS.hiddenSize), { error: 'must be a list of layer sizes' })
    .max(LIMITS.hiddenLayers, { error: ruleMessage('layerList', { max: LIMITS.hiddenLayers }, `must be a list of 0 to ${LIMITS.hiddenLayers} layer sizes`) }),
  outputSize: wholeNumber(2, LIMITS.outputSize),
  activation: oneOf(['relu', 'sigmoid']),
  weightInit: weightInitSchema,
  batchnorm: z.boolean({ error: 'must be true or false' }).default(false),
}) satisfies z.ZodType<NetworkConfig>
