import { z } from 'zod'
import type { NetworkConfig } from './engine/network-config'
import type { TrainConfig } from './engine/train-config'
import type { BackendMethod, BackendMethods } from './ipc'

// The renderer's CSP has no 'unsafe-eval': zod must not compile validators with new Function.
z.config({ jitless: true })

/** Longest path accepted across the boundary; PATH_MAX on Linux is 4096. */
export const MAX_PATH_LENGTH = 4096
/** Most indices in one predict request: the MNIST test set. */
export const MAX_INDICES = 10_000

/** The request payload of each back-end method. */
export type RequestOf<M extends BackendMethod> = Parameters<BackendMethods[M]>[0]

const path = z.string().max(MAX_PATH_LENGTH)
const nullablePath = path.nullable()
const empty = z.strictObject({})
/** z.number() is already finite in zod 4; z.int() is a safe integer. */
const finite = z.number()

/** Types and shape only; ranges are checked by validateTrainConfig, whose ConfigError names the field. */
export const networkConfigSchema = z.strictObject({
  inputSize: z.int(),
  hiddenSizes: z.array(z.int()).max(64),
  outputSize: z.int(),
  activation: z.enum(['relu', 'sigmoid']),
  weightInit: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('std'), std: finite }),
    z.strictObject({ kind: z.literal('xavier') }),
    z.strictObject({ kind: z.literal('he') }),
  ]),
}) satisfies z.ZodType<NetworkConfig>

export const trainConfigSchema = z.strictObject({
  network: networkConfigSchema,
  iters: z.int(),
  batchSize: z.int(),
  lr: finite,
  seed: z.int(),
  evalEvery: z.int(),
  evalSamples: z.int(),
  sampling: z.enum(['replacement', 'epochs']),
}) satisfies z.ZodType<TrainConfig>

export const IPC_SCHEMAS: { readonly [M in BackendMethod]: z.ZodType<RequestOf<M>> } = {
  getDataset: empty,
  openDataset: z.strictObject({ path: nullablePath }),
  datasetSamples: z.strictObject({ split: z.enum(['train', 'test']), start: z.int().min(0), count: z.int().min(1) }),
  startTraining: z.strictObject({ config: trainConfigSchema, resume: z.boolean() }),
  controlTraining: z.strictObject({ jobId: z.string().max(100), action: z.enum(['pause', 'resume', 'stop', 'step']) }),
  trainingStatus: empty,
  gradientCheck: z.strictObject({ network: networkConfigSchema, seed: z.int(), samples: z.int(), useCurrentModel: z.boolean() }),
  currentModel: empty,
  saveModel: z.strictObject({ path: nullablePath }),
  openModel: z.strictObject({ path: nullablePath }),
  recentModels: empty,
  evaluateModel: z.strictObject({ evalSamples: z.int().min(0) }),
  predict: z.strictObject({ indices: z.array(z.int().min(0)).max(MAX_INDICES) }),
}
