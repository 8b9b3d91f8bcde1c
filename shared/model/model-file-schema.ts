import { z } from 'zod'
import { paramShapes, type NamedParam, type NetworkConfig } from '../engine/network-config'
import type { TrainingSummary } from '../engine/train-config'
import { LIMITS } from '../schemas/limits'
import { networkConfigSchema } from '../schemas/network-config-schema'
import { trainingSchema } from '../schemas/train-config-schema'
import { Base64Error, decodeBase64 } from './base64'

export const MODEL_FORMAT = 'backprop-studio-model'
export const MODEL_VERSION = 1
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
  name: z.string({ error: 'must be a string' }).regex(/^[Wb]\d{1,2}$/, { error: 'must be a param name like W1 or b1' }),
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

/**
 * A Backprop Studio model file, version 1, as JSON.parse returns it: the network and training
 * config under the same limits as a new run (so every model that opens can train further), and
 * params exactly paramShapes(network), in order, every value finite.
 */
export const modelFileSchema = z.strictObject({
  format: z.literal(MODEL_FORMAT),
  version: z.literal(MODEL_VERSION),
  savedAt: z.string({ error: 'must be an ISO 8601 date-time' }).regex(ISO_8601, { error: 'must be an ISO 8601 date-time' })
    .refine((s) => !Number.isNaN(Date.parse(s)), { error: 'must be an ISO 8601 date-time' }),
  network: networkConfigSchema,
  training: trainingSchema,
  summary: summarySchema,
  rngState: rngStateSchema,
  params: z.array(wireParamSchema, { error: 'must be a list of params' }).max(2 * (LIMITS.hiddenLayers + 1)),
}).transform((file, ctx) => {
  const params = decodeParams(file.network, file.params, (path, message) => ctx.addIssue({ code: 'custom', path, message }))
  return params ? { ...file, params } : z.NEVER
})

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
