import { z } from 'zod'
import { GRADIENT_BUGS } from './engine/gradient-bug'
import { MNIST_PIXELS } from './data/mnist-preprocess'
import type { BackendMethod, BackendMethods } from './ipc'
import { LIMITS } from './schemas/limits'
import { networkConfigSchema } from './schemas/network-config-schema'
import { wholeNumber } from './schemas/rules'
import { trainConfigSchema } from './schemas/train-config-schema'
import { RUN_ID_PATTERN } from './runs/run-id'
import { RUN_NAME_MAX } from './schemas/run-meta-schema'
import { sweepSpecSchema } from './schemas/sweep-spec-schema'

/** The request payload of each back-end method. */
export type RequestOf<M extends BackendMethod> = Parameters<BackendMethods[M]>[0]

const path = z.string().max(LIMITS.pathLength).regex(/\S/, { error: 'must be a non-empty path' })
const nullablePath = path.nullable()
const empty = z.strictObject({})
const runId = z.string().regex(RUN_ID_PATTERN, { error: 'must be a run id like 20240131-142501-3fa9c1' })
/** A chart image as a PNG data URL at twice its size stays far below this. */
const EXPORT_MAX_CHARS = 32 * 1024 * 1024

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
  gradientCheck: z.strictObject({ network: networkConfigSchema, seed: wholeNumber(0, LIMITS.seed), samples: wholeNumber(1, LIMITS.gradcheckSamples), useCurrentModel: z.boolean(), bug: z.enum(GRADIENT_BUGS).optional() }),
  cancelGradientCheck: empty,
  currentModel: empty,
  saveModel: z.strictObject({ path: nullablePath }),
  openModel: z.strictObject({ path: nullablePath }),
  recentModels: empty,
  evaluateModel: z.strictObject({ evalSamples: wholeNumber(0, LIMITS.images) }),
  predict: z.strictObject({ indices: z.array(wholeNumber(0, LIMITS.images)).max(LIMITS.predictIndices) }),
  predictImage: z.strictObject({ pixels: z.array(wholeNumber(0, 255)).length(MNIST_PIXELS) }),
  inspectBatch: z.strictObject({ network: networkConfigSchema, batchSize: wholeNumber(1, LIMITS.batchSize), seed: wholeNumber(0, LIMITS.seed), useCurrentModel: z.boolean() }),
  datasetImages: z.strictObject({ split: z.enum(['train', 'test']), indices: z.array(wholeNumber(0, LIMITS.images)).min(1).max(LIMITS.samplesPerCall) }),
  liveWeights: z.strictObject({ layer: wholeNumber(1, LIMITS.hiddenLayers + 1) }),
  confusionMatrix: empty,
  exportModel: z.strictObject({ format: z.enum(['npz', 'onnx']), path: nullablePath }),
  importNpz: z.strictObject({ path: nullablePath }),
  listRuns: empty,
  runHistory: z.strictObject({ id: runId }),
  renameRun: z.strictObject({ id: runId, name: z.string().trim().min(1, { error: 'must not be empty' }).max(RUN_NAME_MAX, { error: `must be at most ${RUN_NAME_MAX} characters` }) }),
  deleteRun: z.strictObject({ id: runId }),
  openRunModel: z.strictObject({ id: runId }),
  runCsv: z.strictObject({ id: runId }),
  saveExport: z.strictObject({
    kind: z.enum(['csv', 'png', 'svg']),
    fileName: z.string().max(200).regex(/^[\w.-]+$/, { error: 'must be a plain file name' }),
    data: z.string().max(EXPORT_MAX_CHARS, { error: `must be at most ${EXPORT_MAX_CHARS} characters` }),
    path: nullablePath,
  }),
  startSweep: z.strictObject({ spec: sweepSpecSchema }),
  cancelSweep: empty,
  sweepStatus: empty,
}
