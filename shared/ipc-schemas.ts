import { z } from 'zod'
import type { BackendMethod, BackendMethods } from './ipc'
import { LIMITS } from './schemas/limits'
import { networkConfigSchema } from './schemas/network-config-schema'
import { wholeNumber } from './schemas/rules'
import { trainConfigSchema } from './schemas/train-config-schema'

/** The request payload of each back-end method. */
export type RequestOf<M extends BackendMethod> = Parameters<BackendMethods[M]>[0]

const path = z.string().max(LIMITS.pathLength).regex(/\S/, { error: 'must be a non-empty path' })
const nullablePath = path.nullable()
const empty = z.strictObject({})

/**
 * The one check of every request at the boundary (Electron IPC, the web server): shapes and
 * limits alike. Past the dispatcher the back end trusts its typed arguments.
 */
export const IPC_SCHEMAS: { readonly [M in BackendMethod]: z.ZodType<RequestOf<M>> } = {
  getDataset: empty,
  openDataset: z.strictObject({ path: nullablePath }),
  datasetSamples: z.strictObject({ split: z.enum(['train', 'test']), start: wholeNumber(0, LIMITS.images), count: wholeNumber(1, LIMITS.samplesPerCall) }),
  startTraining: z.strictObject({ config: trainConfigSchema, resume: z.boolean() }),
  controlTraining: z.strictObject({ jobId: z.string().max(100), action: z.enum(['pause', 'resume', 'stop', 'step']) }),
  trainingStatus: empty,
  gradientCheck: z.strictObject({ network: networkConfigSchema, seed: wholeNumber(0, LIMITS.seed), samples: wholeNumber(1, LIMITS.gradcheckSamples), useCurrentModel: z.boolean() }),
  cancelGradientCheck: empty,
  currentModel: empty,
  saveModel: z.strictObject({ path: nullablePath }),
  openModel: z.strictObject({ path: nullablePath }),
  recentModels: empty,
  evaluateModel: z.strictObject({ evalSamples: wholeNumber(0, LIMITS.images) }),
  predict: z.strictObject({ indices: z.array(wholeNumber(0, LIMITS.images)).max(LIMITS.predictIndices) }),
}
