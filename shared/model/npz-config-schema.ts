import { z } from 'zod'
import { oneOf } from '../schemas/rules'
import { weightInitSchema } from '../schemas/network-config-schema'
import { trainingSchema } from '../schemas/train-config-schema'

export const NPZ_CONFIG_FORMAT = 'backprop-studio-npz'
/** The entry beside the arrays; np.load returns it as bytes: json.loads(np.load(f)['config.json']). */
export const NPZ_CONFIG_ENTRY = 'config.json'
export const NPZ_CONFIG_MAX_BYTES = 1024 * 1024

const size = z.int({ error: 'must be a whole number' })

/**
 * config.json as an import reads it. Export writes the whole model record (network, training,
 * summary); a hand-written one may say as little as {"network": {"activation": "sigmoid"}}.
 * Sizes are read from the arrays' shapes, and sizes given here must agree with them. Unknown
 * fields are ignored (and dropped), so a file from a later version still imports.
 */
export const npzConfigSchema = z.object({
  format: z.literal(NPZ_CONFIG_FORMAT, { error: `must be "${NPZ_CONFIG_FORMAT}"` }).optional(),
  network: z.object({
    inputSize: size.optional(),
    hiddenSizes: z.array(size, { error: 'must be a list of layer sizes' }).optional(),
    outputSize: size.optional(),
    activation: oneOf(['relu', 'sigmoid']).optional(),
    weightInit: weightInitSchema.optional(),
    batchnorm: z.boolean({ error: 'must be true or false' }).optional(),
  }, { error: 'must be an object' }).optional(),
  training: trainingSchema.optional(),
  summary: z.object({
    iterations: z.int({ error: 'must be a whole number ≥ 0' }).min(0, { error: 'must be a whole number ≥ 0' }),
    loss: z.number({ error: 'must be a finite number' }),
  }, { error: 'must be an object' }).optional(),
}, { error: 'must be a JSON object' })

export type NpzConfig = z.output<typeof npzConfigSchema>
