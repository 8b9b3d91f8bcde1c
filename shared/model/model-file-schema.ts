import { z } from 'zod'
import { isRunningStat, paramShapes, type NamedParam, type NetworkConfig } from '../engine/network-config'
import type { OptimizerConfig } from '../engine/optimizer'
import type { TrainingSummary } from '../engine/train-config'
import { LIMITS } from '../schemas/limits'
import { networkConfigSchema } from '../schemas/network-config-schema'
import { trainingSchema } from '../schemas/train-config-schema'
import { Base64Error, decodeBase64 } from './base64'

export const MODEL_FORMAT = 'backprop-studio-model'
/** Version 2 adds what a run needs to continue bit for bit: optimiser, sampler, history. Version 1 still opens. */
export const MODEL_VERSION = 2 as const
export const MODEL_VERSIONS = [1, 2] as const
/** Most losses (and evaluations) a model's history keeps: the last LIMITS.iters iterations, 80 MB of float64. */
export const HISTORY_MAX = LIMITS.iters
export const PARAM_DTYPE = 'float64'
export const PARAM_ENCODING = 'base64-le'

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/
const finite = z.number({ error: 'must be a finite number' })
const accuracy = finite.min(0, { error: 'must be an accuracy in [0, 1]' }).max(1, { error: 'must be an accuracy in [0, 1]' })
const text = z.string({ error: 'must be a string' }).max(1000, { error: 'must be at most 1000 characters' })

const summarySchema = z.strictObject({
  iterations: z.int({ error: 'must be a whole number ≥ 0' }).min(0, { error: 'must be a whole number ≥ 0' }),
  loss: finite,
  trainAcc: accuracy,
  testAcc: accuracy,
  dataset: z.strictObject({ name: text, fingerprint: text }),
}) satisfies z.ZodType<TrainingSummary>

/**
 * xoshiro128**'s state: four uint32 words, not all zero (that state is a fixed point), so a
 * resumed run continues the stream; empty when the model records no stream to continue.
 */
const uint32 = z.int({ error: 'must be a uint32' }).min(0, { error: 'must be a uint32' }).max(0xffffffff, { error: 'must be a uint32' })
const rngStateSchema = z.array(uint32, { error: 'must be a list of four uint32 words' })
  .refine((w) => w.length === 0 || w.length === 4, { error: 'must be four uint32 words (or none)' })
  .refine((w) => w.length === 0 || w.some((x) => x !== 0), { error: 'must not be all zeros (xoshiro128** never leaves that state)' })

/** One param as written: little-endian float64 bytes in base64, decoded here into a Float64Array. */
const wireParamSchema = z.strictObject({
  name: z.string({ error: 'must be a string' }).regex(/^(?:W|b|gamma|beta|runningMean|runningVar)\d{1,2}$/, { error: 'must be a param name like W1, b1, gamma1 or runningMean1' }),
  shape: z.array(z.int({ error: 'must be a list of whole numbers' }).min(1).max(LIMITS.inputSize), { error: 'must be a list of whole numbers' }).max(2),
  dtype: z.literal(PARAM_DTYPE, { error: `must be "${PARAM_DTYPE}"` }),
  encoding: z.literal(PARAM_ENCODING, { error: `must be "${PARAM_ENCODING}"` }),
  data: z.string({ error: 'must be a base64 string' }).transform((b64, ctx) => {
    try {
      return decodeBase64(b64, '')
    } catch (e) {
      if (!(e instanceof Base64Error)) throw e
      ctx.addIssue({ code: 'custom', message: e.message.slice(2) })
      return z.NEVER
    }
  }),
})

type WireParam = z.output<typeof wireParamSchema>

/** float64 values as little-endian bytes in base64; at most `max` of them (a longer string is refused before decoding). */
function float64Base64(max: number) {
  return z.string({ error: 'must be a base64 string' }).max(Math.ceil((max * 8) / 3) * 4, { error: `must hold at most ${max} float64 values` }).transform((b64, ctx) => {
    try {
      const bytes = decodeBase64(b64, '')
      if (bytes.length % 8 !== 0) {
        ctx.addIssue({ code: 'custom', message: `must be a whole number of float64 values (8 bytes each), got ${bytes.length} bytes` })
        return z.NEVER
      }
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      return Float64Array.from({ length: bytes.length / 8 }, (_, k) => view.getFloat64(k * 8, true))
    } catch (e) {
      if (!(e instanceof Base64Error)) throw e
      ctx.addIssue({ code: 'custom', message: e.message.slice(2) })
      return z.NEVER
    }
  })
}

const count = z.int({ error: 'must be a whole number ≥ 0' }).min(0, { error: 'must be a whole number ≥ 0' })

/** An optimiser buffer as written: `<slot>.<param>`, a param's values. */
const wireBufferSchema = z.strictObject({
  name: z.string({ error: 'must be a string' }).regex(/^[a-z]{1,8}\.(?:W|b|gamma|beta)\d{1,2}$/, { error: 'must be a buffer name like v.W1 or m.b2' }),
  shape: z.tuple([z.int().min(1).max(LIMITS.inputSize * LIMITS.hiddenSize)], { error: 'must be [number of values]' }),
  dtype: z.literal(PARAM_DTYPE, { error: `must be "${PARAM_DTYPE}"` }),
  encoding: z.literal(PARAM_ENCODING, { error: `must be "${PARAM_ENCODING}"` }),
  data: float64Base64(LIMITS.inputSize * LIMITS.hiddenSize),
})

const optimizerStateSchema = z.strictObject({
  step: count,
  buffers: z.array(wireBufferSchema, { error: 'must be a list of buffers' }).max(4 * (LIMITS.hiddenLayers + 1) * 2),
})

const samplerStateSchema = z.strictObject({
  shuffleState: rngStateSchema,
  pos: wholeNumberSchema(LIMITS.images),
})

const column = (max: number) => z.array(z.number({ error: 'must be a list of finite numbers' }), { error: 'must be a list of numbers' }).max(max, { error: `must hold at most ${max} values` })

/** Accuracy per evaluation as five columns of plain numbers: one JSON array each, however many evaluations. */
const evalsSchema = z.strictObject({
  iter: column(HISTORY_MAX),
  epoch: column(HISTORY_MAX),
  loss: column(HISTORY_MAX),
  trainAcc: column(HISTORY_MAX),
  testAcc: column(HISTORY_MAX),
})

const historySchema = z.strictObject({
  lossStart: count,
  losses: z.strictObject({
    dtype: z.literal(PARAM_DTYPE, { error: `must be "${PARAM_DTYPE}"` }),
    encoding: z.literal(PARAM_ENCODING, { error: `must be "${PARAM_ENCODING}"` }),
    data: float64Base64(HISTORY_MAX),
  }),
  evals: evalsSchema,
})

function wholeNumberSchema(max: number) {
  return z.int({ error: `must be a whole number from 0 to ${max}` }).min(0, { error: `must be a whole number from 0 to ${max}` }).max(max, { error: `must be a whole number from 0 to ${max}` })
}

const commonFields = {
  format: z.literal(MODEL_FORMAT),
  savedAt: z.string({ error: 'must be an ISO 8601 date-time' }).regex(ISO_8601, { error: 'must be an ISO 8601 date-time' })
    .refine((s) => !Number.isNaN(Date.parse(s)), { error: 'must be an ISO 8601 date-time' }),
  network: networkConfigSchema,
  training: trainingSchema,
  summary: summarySchema,
  rngState: rngStateSchema,
  params: z.array(wireParamSchema, { error: 'must be a list of params' }).max(6 * (LIMITS.hiddenLayers + 1)),
}

/**
 * A Backprop Studio model file, version 1, as JSON.parse returns it: the network and training
 * config under the same limits as a new run (so every model that opens can train further), and
 * params exactly paramShapes(network), in order, every value finite. It opens as version 2 with
 * a fresh optimiser, a new epoch and a history that starts where the model stands.
 */
export const modelFileV1Schema = z.strictObject({ ...commonFields, version: z.literal(1) }).transform((file, ctx) => {
  const params = decodeParams(file.network, file.params, (path, message) => ctx.addIssue({ code: 'custom', path, message }))
  if (!params) return z.NEVER
  return {
    ...file,
    version: MODEL_VERSION as typeof MODEL_VERSION,
    params,
    optimizer: { step: 0, buffers: [] },
    sampler: { shuffleState: [], pos: 0 },
    history: { lossStart: file.summary.iterations, losses: new Float64Array(0), evals: [] },
  }
})

/**
 * Version 2: version 1's fields and what continuing needs, each checked against the rest: the
 * optimiser's buffers are those of training.optimizer, one per trained param and of its size,
 * and its step count is at most the iterations; the history covers iterations lossStart to
 * summary.iterations, one loss each, and its evaluations come before summary.iterations.
 */
export const modelFileV2Schema = z.strictObject({
  ...commonFields,
  version: z.literal(2),
  optimizer: optimizerStateSchema,
  sampler: samplerStateSchema,
  history: historySchema,
}).transform((file, ctx) => {
  const fail = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message })
  const params = decodeParams(file.network, file.params, fail)
  if (!params) return z.NEVER
  const buffers = checkOptimizer(file.training.optimizer, file.optimizer.buffers, params, file.summary.iterations, file.optimizer.step, fail)
  if (!buffers) return z.NEVER
  const { lossStart, losses, evals } = file.history
  if (lossStart + losses.data.length !== file.summary.iterations) {
    return fail(['history', 'losses'], `must hold one loss per iteration from ${lossStart} to ${file.summary.iterations}: ${file.summary.iterations - lossStart} values, got ${losses.data.length}`), z.NEVER
  }
  const n = evals.iter.length
  for (const key of ['epoch', 'loss', 'trainAcc', 'testAcc'] as const) {
    if (evals[key].length !== n) return fail(['history', 'evals', key], `must hold ${n} values, one per evaluation like history.evals.iter, got ${evals[key].length}`), z.NEVER
  }
  for (let i = 0; i < n; i++) {
    const it = evals.iter[i]
    if (!Number.isInteger(it) || it < 0 || it >= file.summary.iterations) {
      return fail(['history', 'evals', 'iter', i], `must be an iteration from 0 to ${file.summary.iterations - 1}, got ${it}`), z.NEVER
    }
    for (const key of ['trainAcc', 'testAcc'] as const) {
      if (!(evals[key][i] >= 0 && evals[key][i] <= 1)) return fail(['history', 'evals', key, i], `must be an accuracy in [0, 1], got ${evals[key][i]}`), z.NEVER
    }
  }
  return {
    ...file,
    params,
    optimizer: { step: file.optimizer.step, buffers },
    history: {
      lossStart,
      losses: losses.data,
      evals: evals.iter.map((iter, i) => ({ iter, epoch: evals.epoch[i], loss: evals.loss[i], trainAcc: evals.trainAcc[i], testAcc: evals.testAcc[i] })),
    },
  }
})

/** The per-parameter buffers each optimiser keeps (the optimiser classes' slots). */
export const OPTIMIZER_SLOTS: Record<OptimizerConfig['kind'], readonly string[]> = {
  sgd: [], momentum: ['v'], nesterov: ['v'], adagrad: ['h'], rmsprop: ['h'], adam: ['m', 'v'],
}

function checkOptimizer(
  optimizer: OptimizerConfig, items: z.output<typeof wireBufferSchema>[], params: NamedParam[], iterations: number, step: number,
  fail: (path: (string | number)[], message: string) => void,
): NamedParam[] | null {
  if (step > iterations) return fail(['optimizer', 'step'], `must be at most the ${iterations} iterations trained, got ${step}`), null
  const slots = OPTIMIZER_SLOTS[optimizer.kind]
  const sizes = new Map(params.filter((p) => !isRunningStat(p.name)).map((p) => [p.name, p.data.length]))
  const seen = new Set<string>()
  const out: NamedParam[] = []
  for (const [i, b] of items.entries()) {
    const [slot, param] = b.name.split('.')
    if (!slots.includes(slot)) {
      return fail(['optimizer', 'buffers', i, 'name'], `"${b.name}" is not a buffer of ${optimizer.kind} (${slots.length ? `it keeps ${slots.map((s) => `${s}.<param>`).join(' and ')}` : 'it keeps none'})`), null
    }
    const size = sizes.get(param)
    if (size === undefined) return fail(['optimizer', 'buffers', i, 'name'], `"${b.name}" names no trained param of this network`), null
    if (seen.has(b.name)) return fail(['optimizer', 'buffers', i, 'name'], `duplicate buffer "${b.name}"`), null
    seen.add(b.name)
    if (b.shape[0] !== size || b.data.length !== size) {
      return fail(['optimizer', 'buffers', b.name, 'data'], `must hold ${size} float64 values like ${param}, got ${b.data.length}`), null
    }
    for (let k = 0; k < size; k++) {
      if (!Number.isFinite(b.data[k])) return fail(['optimizer', 'buffers', b.name, 'data', k], `value is ${b.data[k]}; must be a finite number`), null
    }
    out.push({ name: b.name, shape: [size], data: b.data })
  }
  return out
}

/** Names, order, shapes and byte counts against the network; the float64 values, each finite. */
function decodeParams(network: NetworkConfig, items: WireParam[], fail: (path: (string | number)[], message: string) => void): NamedParam[] | null {
  const expected = paramShapes(network)
  const names = items.map((p) => p.name)
  const order = `expected ${expected.map((e) => e.name).join(', ')} in that order`
  const missing = expected.filter((e) => !names.includes(e.name)).map((e) => e.name)
  if (missing.length) return fail(['params'], `missing param ${missing.join(', ')} (${order}, got ${names.join(', ') || 'none'})`), null
  for (let i = 0; i < items.length; i++) {
    if (names.indexOf(names[i]) !== i) return fail(['params', i, 'name'], `duplicate param "${names[i]}"`), null
    if (i >= expected.length) return fail(['params', i, 'name'], `unexpected param "${names[i]}" (${order})`), null
    if (names[i] !== expected[i].name) return fail(['params', i, 'name'], `must be "${expected[i].name}", got "${names[i]}" (${order})`), null
  }
  const out: NamedParam[] = []
  for (const [i, { name, shape }] of expected.entries()) {
    const { shape: got, data: bytes } = items[i]
    if (got.length !== shape.length || got.some((d, k) => d !== shape[k])) {
      return fail(['params', name, 'shape'], `must be [${shape.join(', ')}], got [${got.join(', ')}]`), null
    }
    const count = shape.reduce((a, b) => a * b, 1)
    if (bytes.length !== count * 8) return fail(['params', name, 'data'], `must be ${count * 8} bytes (${count} float64), got ${bytes.length}`), null
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    const data = new Float64Array(count)
    for (let k = 0; k < count; k++) {
      const v = view.getFloat64(k * 8, true)
      if (!Number.isFinite(v)) return fail(['params', name, 'data', k], `value is ${v}; must be a finite number`), null
      data[k] = v
    }
    out.push({ name, shape: [...shape], data })
  }
  return out
}
