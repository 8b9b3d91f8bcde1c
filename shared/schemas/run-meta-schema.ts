import { z } from 'zod'
import { RUN_EVALS_MAX, RUN_FORMAT, RUN_VERSION, type RunMeta } from '../runs/run-record'
import { RUN_ID_PATTERN } from '../runs/run-id'
import { LIMITS } from './limits'
import { trainConfigSchema } from './train-config-schema'
import { wholeNumber } from './rules'

/** Longest run name. */
export const RUN_NAME_MAX = 120

/** JSON has no NaN or ±Infinity: they are written as null and read back as NaN. */
const jsonNumber = z.number({ error: 'must be a number or null' }).nullable().transform((v) => v ?? Number.NaN)

const date = z.iso.datetime({ error: 'must be an ISO 8601 date-time' })
const text = (max: number) => z.string({ error: 'must be text' }).max(max, { error: `must be at most ${max} characters` })

const evalSchema = z.strictObject({
  iter: wholeNumber(0, LIMITS.iters * 2),
  epoch: jsonNumber,
  loss: jsonNumber,
  trainAcc: jsonNumber,
  testAcc: jsonNumber,
})

const datasetSchema = z.strictObject({ name: text(200), fingerprint: text(200) })

/** `<runs>/<id>/run.json`, checked whenever a run is read: a folder that fails is listed as damaged. */
export const runMetaSchema = z.strictObject({
  format: z.literal(RUN_FORMAT, { error: `must be "${RUN_FORMAT}"` }),
  version: z.literal(RUN_VERSION, { error: `must be ${RUN_VERSION}` }),
  id: z.string().regex(RUN_ID_PATTERN, { error: 'must be a run id like 20240131-142501-3fa9c1' }),
  name: text(RUN_NAME_MAX),
  startedAt: date,
  endedAt: date.nullable(),
  seconds: z.number({ error: 'must be a number' }).min(0, { error: 'must be ≥ 0' }),
  status: z.enum(['running', 'finished', 'stopped', 'failed'], { error: 'must be running, finished, stopped or failed' }),
  config: trainConfigSchema,
  startIter: wholeNumber(0, LIMITS.iters * 2),
  dataset: datasetSchema,
  lossCount: wholeNumber(0, LIMITS.iters),
  evals: z.array(evalSchema, { error: 'must be a list of evaluations' }).max(RUN_EVALS_MAX, { error: `must hold at most ${RUN_EVALS_MAX} evaluations` }),
  summary: z.strictObject({
    iterations: wholeNumber(0, LIMITS.iters * 2),
    loss: jsonNumber,
    trainAcc: jsonNumber,
    testAcc: jsonNumber,
    dataset: datasetSchema,
  }).nullable(),
  error: z.strictObject({ name: text(200), message: text(2000) }).nullable(),
  hasModel: z.boolean({ error: 'must be true or false' }),
}) satisfies z.ZodType<RunMeta, unknown>
