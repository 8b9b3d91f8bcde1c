import { paramShapes, type NamedParam, type NetworkConfig, type WeightInit } from '../engine/network-config'
import type { Sampling, TrainConfig, TrainingSummary } from '../engine/train-config'
import { Base64Error, decodeBase64, encodeBase64 } from './base64'

export const MODEL_FORMAT = 'backprop-studio-model'
export const MODEL_VERSION = 1
/** A 784-50-10 model is ~424 KB; the cap only stops a wrong or hostile file from exhausting memory. */
export const MODEL_MAX_BYTES = 128 * 1024 * 1024

export interface ModelFile {
  format: typeof MODEL_FORMAT
  version: typeof MODEL_VERSION
  /** ISO 8601, e.g. new Date().toISOString(). */
  savedAt: string
  network: NetworkConfig
  training: Omit<TrainConfig, 'network'>
  summary: TrainingSummary
  /** uint32 words of the PRNG state, so a run can resume its random stream; may be empty. */
  rngState: number[]
  /** Exactly paramShapes(network), in that order. */
  params: NamedParam[]
}

/** A model file that cannot be read or written. The message reads `<source>: <field>: <problem>`. */
export class ModelFileError extends Error {
  override readonly name = 'ModelFileError'
  readonly source: string
  /** Dotted path of the offending field, '' when the problem is the file as a whole. */
  readonly field: string

  constructor(source: string, field: string, problem: string, options?: ErrorOptions) {
    super(field ? `${source}: ${field}: ${problem}` : `${source}: ${problem}`, options)
    this.source = source
    this.field = field
  }
}

export function checkModelSize(bytes: number, source: string): void {
  if (bytes > MODEL_MAX_BYTES) {
    throw new ModelFileError(source, '', `file is too large: ${bytes} bytes (the limit is ${MODEL_MAX_BYTES})`)
  }
}

const DTYPE = 'float64'
const ENCODING = 'base64-le'
const TOP_KEYS = ['format', 'version', 'savedAt', 'network', 'training', 'summary', 'rngState', 'params'] as const
const NETWORK_KEYS = ['inputSize', 'hiddenSizes', 'outputSize', 'activation', 'weightInit'] as const
const TRAINING_KEYS = ['iters', 'batchSize', 'lr', 'seed', 'evalEvery', 'evalSamples', 'sampling'] as const
const SUMMARY_KEYS = ['iterations', 'loss', 'trainAcc', 'testAcc', 'dataset'] as const
const PARAM_KEYS = ['name', 'shape', 'dtype', 'encoding', 'data'] as const
/** Keys that become prototype pollution once a parsed object is spread, merged or assigned. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

/**
 * Metadata is indented for reading; each param is one line because its data is one long string.
 * Param data is base64 of little-endian float64 bytes, so the round trip is bit-exact (decimal
 * JSON loses -0). The encoded form goes through the same checks as a loaded file before it is
 * formatted, so a model that could not be loaded back (NaN weights, wrong shapes) is refused here
 * rather than written. `source` names the destination in those messages.
 */
export function serializeModel(model: ModelFile, source = 'model'): string {
  const wire = toWire(model, source)
  validateModel(wire, source)
  const lines = TOP_KEYS.filter((k) => k !== 'params').map((k) => `  ${JSON.stringify(k)}: ${pretty(wire[k], '  ')}`)
  const params = wire.params.map((p) => `    ${inlineParam(p)}`)
  lines.push(params.length === 0 ? '  "params": []' : `  "params": [\n${params.join(',\n')}\n  ]`)
  return `{\n${lines.join(',\n')}\n}\n`
}

export function parseModel(text: string, source: string): ModelFile {
  checkModelSize(text.length, source)
  let root: unknown
  try {
    root = JSON.parse(text)
  } catch (e) {
    throw new ModelFileError(source, '', describeJsonError(text, e), { cause: e })
  }
  rejectForbiddenKeys(root, source)
  return validateModel(root, source)
}

interface WireParam {
  name: string
  shape: number[]
  dtype: string
  encoding: string
  data: string
}

type Wire = Omit<ModelFile, 'params'> & { params: WireParam[] }

/** A fresh plain object of known fields only, so stray runtime properties are never written. */
function toWire(model: ModelFile, source: string): Wire {
  const { network: n, training: t, summary: s } = model
  return {
    format: model.format,
    version: model.version,
    savedAt: model.savedAt,
    network: {
      inputSize: n.inputSize,
      hiddenSizes: Array.isArray(n.hiddenSizes) ? [...n.hiddenSizes] : n.hiddenSizes,
      outputSize: n.outputSize,
      activation: n.activation,
      weightInit: n.weightInit.kind === 'std' ? { kind: 'std', std: n.weightInit.std } : { kind: n.weightInit.kind },
    },
    training: {
      iters: t.iters,
      batchSize: t.batchSize,
      lr: t.lr,
      seed: t.seed,
      evalEvery: t.evalEvery,
      evalSamples: t.evalSamples,
      sampling: t.sampling,
    },
    summary: {
      iterations: s.iterations,
      loss: s.loss,
      trainAcc: s.trainAcc,
      testAcc: s.testAcc,
      dataset: { name: s.dataset.name, fingerprint: s.dataset.fingerprint },
    },
    rngState: Array.isArray(model.rngState) ? [...model.rngState] : model.rngState,
    params: model.params.map((p) => {
      if (!(p.data instanceof Float64Array)) {
        throw new ModelFileError(source, `params.${p.name}.data`, 'expected a Float64Array')
      }
      return { name: p.name, shape: [...p.shape], dtype: DTYPE, encoding: ENCODING, data: encodeBase64(float64ToBytes(p.data)) }
    }),
  }
}

function float64ToBytes(values: Float64Array): Uint8Array {
  const bytes = new Uint8Array(values.length * 8)
  const view = new DataView(bytes.buffer)
  for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i], true)
  return bytes
}

// ---- formatting ----

function pretty(value: unknown, indent: string): string {
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) return `[${value.map((v) => JSON.stringify(v)).join(', ')}]`
    const inner = indent + '  '
    return `[\n${value.map((v) => inner + pretty(v, inner)).join(',\n')}\n${indent}]`
  }
  if (value !== null && typeof value === 'object') {
    const inner = indent + '  '
    const entries = Object.entries(value).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${pretty(v, inner)}`)
    return entries.length === 0 ? '{}' : `{\n${entries.join(',\n')}\n${indent}}`
  }
  return JSON.stringify(value)
}

function inlineParam(p: WireParam): string {
  const j = JSON.stringify
  return `{ "name": ${j(p.name)}, "shape": [${p.shape.join(', ')}], "dtype": ${j(p.dtype)}, "encoding": ${j(p.encoding)}, "data": ${j(p.data)} }`
}

// ---- JSON syntax ----

function describeJsonError(text: string, e: unknown): string {
  const detail = e instanceof Error ? e.message : String(e)
  const reported = /at position (\d+)/.exec(detail)
  const offset = reported
    ? Number(reported[1])
    : /end of JSON input/.test(detail)
      ? text.length
      : jsonSyntaxErrorOffset(text)
  if (offset < 0) return `not valid JSON: ${detail}`
  let line = 1
  let lineStart = 0
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++
    lineStart = i + 1
  }
  return `not valid JSON at line ${line}, column ${offset - lineStart + 1}: ${detail}`
}

/**
 * Offset of the first syntax error, or -1 if none is found. Only used to locate an error that
 * JSON.parse already reported without a position (V8 omits it for "Unexpected token …").
 */
function jsonSyntaxErrorOffset(text: string): number {
  const n = text.length
  const isDigit = (k: number): boolean => k < n && text.charCodeAt(k) >= 0x30 && text.charCodeAt(k) <= 0x39
  const isHex = (k: number): boolean => k < n && /[0-9a-fA-F]/.test(text[k])
  const skipSpace = (): void => {
    while (i < n && ' \t\n\r'.includes(text[i])) i++
  }
  // Each scanner advances i past its token and returns true, or leaves i at the offending character.
  const scanString = (): boolean => {
    for (i++; i < n; i++) {
      const c = text.charCodeAt(i)
      if (c === 0x22) return (i++, true)
      if (c < 0x20) return false
      if (c !== 0x5c) continue
      i++
      if (text[i] === 'u') {
        for (let k = 0; k < 4; k++) if (!isHex(++i)) return false
      } else if (i >= n || !'"\\/bfnrt'.includes(text[i])) return false
    }
    return false
  }
  const scanNumber = (): boolean => {
    if (text[i] === '-') i++
    if (text[i] === '0') i++
    else if (isDigit(i)) while (isDigit(i)) i++
    else return false
    if (text[i] === '.') {
      if (!isDigit(++i)) return false
      while (isDigit(i)) i++
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++
      if (text[i] === '+' || text[i] === '-') i++
      if (!isDigit(i)) return false
      while (isDigit(i)) i++
    }
    return true
  }
  const scanWord = (word: string): boolean => {
    for (let k = 0; k < word.length; k++, i++) if (text[i] !== word[k]) return false
    return true
  }

  const stack: string[] = []
  let state: 'value' | 'firstValue' | 'key' | 'firstKey' | 'after' = 'value'
  let i = 0
  for (;;) {
    skipSpace()
    if (i >= n) return state === 'after' && stack.length === 0 ? -1 : n
    const c = text[i]
    if (state === 'value' || state === 'firstValue') {
      if (state === 'firstValue' && c === ']') {
        stack.pop()
        i++
      } else if (c === '{' || c === '[') {
        stack.push(c)
        i++
        state = c === '{' ? 'firstKey' : 'firstValue'
        continue
      } else if (c === '"') {
        if (!scanString()) return i
      } else if (c === 't' || c === 'f' || c === 'n') {
        if (!scanWord(c === 't' ? 'true' : c === 'f' ? 'false' : 'null')) return i
      } else if (!scanNumber()) return i
      state = 'after'
    } else if (state === 'key' || state === 'firstKey') {
      if (state === 'firstKey' && c === '}') {
        stack.pop()
        i++
        state = 'after'
        continue
      }
      if (c !== '"' || !scanString()) return i
      skipSpace()
      if (text[i] !== ':') return i
      i++
      state = 'value'
    } else {
      const top = stack[stack.length - 1]
      if (top === undefined) return i
      if (c === ',') state = top === '{' ? 'key' : 'value'
      else if (c === (top === '{' ? '}' : ']')) stack.pop()
      else return i
      i++
    }
  }
}

/** Iterative, so a deeply nested hostile file cannot overflow the stack. */
function rejectForbiddenKeys(root: unknown, source: string): void {
  const pending: { value: unknown; path: string }[] = [{ value: root, path: '' }]
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const { value, path } = item
    if (value === null || typeof value !== 'object') continue
    if (Array.isArray(value)) {
      value.forEach((v, i) => pending.push({ value: v, path: `${path}[${i}]` }))
      continue
    }
    for (const key of Object.keys(value)) {
      const keyPath = path ? `${path}.${key}` : key
      if (FORBIDDEN_KEYS.has(key)) throw new ModelFileError(source, keyPath, `forbidden key "${key}"`)
      pending.push({ value: (value as Record<string, unknown>)[key], path: keyPath })
    }
  }
}

// ---- validation ----

class Checker {
  constructor(readonly source: string) {}

  fail(field: string, problem: string): never {
    throw new ModelFileError(this.source, field, problem)
  }

  object(value: unknown, field: string): Record<string, unknown> {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.fail(field, `expected an object, got ${describe(value)}`)
    }
    return value as Record<string, unknown>
  }

  /** A plain object with exactly `keys`: a missing or unknown key is an error. */
  record(value: unknown, field: string, keys: readonly string[]): Record<string, unknown> {
    const obj = this.object(value, field)
    const at = (k: string): string => (field ? `${field}.${k}` : k)
    for (const k of Object.keys(obj)) if (!keys.includes(k)) this.fail(at(k), 'unknown field')
    for (const k of keys) if (!Object.hasOwn(obj, k)) this.fail(at(k), 'missing')
    return obj
  }

  string(value: unknown, field: string): string {
    if (typeof value !== 'string') this.fail(field, `expected a string, got ${describe(value)}`)
    return value
  }

  finite(value: unknown, field: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(field, `expected a finite number, got ${describe(value)}`)
    return value
  }

  /** A safe integer ≥ min. */
  int(value: unknown, field: string, min: number): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) this.fail(field, `expected an integer, got ${describe(value)}`)
    if (value < min) this.fail(field, `expected an integer ≥ ${min}, got ${value}`)
    return value
  }

  oneOf<T extends string>(value: unknown, field: string, options: readonly T[]): T {
    if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) {
      this.fail(field, `expected ${options.map((o) => JSON.stringify(o)).join(' or ')}, got ${describe(value)}`)
    }
    return value as T
  }

  array(value: unknown, field: string): unknown[] {
    if (!Array.isArray(value)) this.fail(field, `expected an array, got ${describe(value)}`)
    return value
  }
}

function validateModel(root: unknown, source: string): ModelFile {
  const c = new Checker(source)
  const raw = c.object(root, '')
  // Format and version first: another program's JSON or a newer file should say so, not list odd fields.
  if (raw.format !== MODEL_FORMAT) {
    const got = Object.hasOwn(raw, 'format') ? describe(raw.format) : 'no format field'
    c.fail('format', `expected "${MODEL_FORMAT}", got ${got}: not a Backprop Studio model file`)
  }
  const version = c.int(raw.version, 'version', 1)
  if (version !== MODEL_VERSION) c.fail('version', `unsupported version ${version} (this app reads version ${MODEL_VERSION})`)
  const obj = c.record(root, '', TOP_KEYS)

  const network = validateNetwork(c, obj.network)
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    savedAt: validateTimestamp(c, obj.savedAt, 'savedAt'),
    network,
    training: validateTraining(c, obj.training),
    summary: validateSummary(c, obj.summary),
    rngState: c.array(obj.rngState, 'rngState').map((w, i) => {
      const word = c.int(w, `rngState[${i}]`, 0)
      if (word > 0xffffffff) c.fail(`rngState[${i}]`, `expected a uint32, got ${word}`)
      return word
    }),
    params: validateParams(c, obj.params, network),
  }
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/

function validateTimestamp(c: Checker, value: unknown, field: string): string {
  const text = c.string(value, field)
  if (!ISO_8601.test(text) || Number.isNaN(Date.parse(text))) c.fail(field, `expected an ISO 8601 date-time, got ${describe(text)}`)
  return text
}

function validateNetwork(c: Checker, value: unknown): NetworkConfig {
  const n = c.record(value, 'network', NETWORK_KEYS)
  return {
    inputSize: c.int(n.inputSize, 'network.inputSize', 1),
    hiddenSizes: c.array(n.hiddenSizes, 'network.hiddenSizes').map((h, i) => c.int(h, `network.hiddenSizes[${i}]`, 1)),
    outputSize: c.int(n.outputSize, 'network.outputSize', 1),
    activation: c.oneOf(n.activation, 'network.activation', ['relu', 'sigmoid'] as const),
    weightInit: validateWeightInit(c, n.weightInit),
  }
}

function validateWeightInit(c: Checker, value: unknown): WeightInit {
  const field = 'network.weightInit'
  const kind = c.oneOf(c.object(value, field).kind, `${field}.kind`, ['std', 'xavier', 'he'] as const)
  if (kind !== 'std') {
    c.record(value, field, ['kind'])
    return { kind }
  }
  const std = c.finite(c.record(value, field, ['kind', 'std']).std, `${field}.std`)
  if (std <= 0) c.fail(`${field}.std`, `expected a number > 0, got ${std}`)
  return { kind, std }
}

function validateTraining(c: Checker, value: unknown): Omit<TrainConfig, 'network'> {
  const t = c.record(value, 'training', TRAINING_KEYS)
  const lr = c.finite(t.lr, 'training.lr')
  if (lr <= 0) c.fail('training.lr', `expected a number > 0, got ${lr}`)
  return {
    iters: c.int(t.iters, 'training.iters', 1),
    batchSize: c.int(t.batchSize, 'training.batchSize', 1),
    lr,
    seed: c.int(t.seed, 'training.seed', Number.MIN_SAFE_INTEGER),
    evalEvery: c.int(t.evalEvery, 'training.evalEvery', 1),
    evalSamples: c.int(t.evalSamples, 'training.evalSamples', 0),
    sampling: c.oneOf<Sampling>(t.sampling, 'training.sampling', ['replacement', 'epochs']),
  }
}

function validateSummary(c: Checker, value: unknown): TrainingSummary {
  const s = c.record(value, 'summary', SUMMARY_KEYS)
  const accuracy = (v: unknown, field: string): number => {
    const a = c.finite(v, field)
    if (a < 0 || a > 1) c.fail(field, `expected an accuracy in [0, 1], got ${a}`)
    return a
  }
  const d = c.record(s.dataset, 'summary.dataset', ['name', 'fingerprint'])
  return {
    iterations: c.int(s.iterations, 'summary.iterations', 0),
    loss: c.finite(s.loss, 'summary.loss'),
    trainAcc: accuracy(s.trainAcc, 'summary.trainAcc'),
    testAcc: accuracy(s.testAcc, 'summary.testAcc'),
    dataset: { name: c.string(d.name, 'summary.dataset.name'), fingerprint: c.string(d.fingerprint, 'summary.dataset.fingerprint') },
  }
}

function validateParams(c: Checker, value: unknown, network: NetworkConfig): NamedParam[] {
  const expected = paramShapes(network)
  const items = c.array(value, 'params').map((p, i) => c.record(p, `params[${i}]`, PARAM_KEYS))
  const names = items.map((p, i) => c.string(p.name, `params[${i}].name`))
  const expectedNames = expected.map((e) => e.name)
  const order = `expected ${expectedNames.join(', ')} in that order`

  const missing = expectedNames.filter((name) => !names.includes(name))
  if (missing.length > 0) c.fail('params', `missing param ${missing.join(', ')} (${order}, got ${names.join(', ') || 'none'})`)
  names.forEach((name, i) => {
    if (!expectedNames.includes(name)) c.fail(`params[${i}].name`, `unexpected param ${describe(name)} (${order})`)
    if (names.indexOf(name) !== i) c.fail(`params[${i}].name`, `duplicate param ${describe(name)}`)
    if (name !== expectedNames[i]) c.fail(`params[${i}].name`, `expected "${expectedNames[i]}", got ${describe(name)} (${order})`)
  })

  return expected.map(({ name, shape }, i) => {
    const p = items[i]
    const field = `params.${name}`
    const gotShape = c.array(p.shape, `${field}.shape`)
    if (gotShape.length !== shape.length || gotShape.some((d, k) => d !== shape[k])) {
      c.fail(`${field}.shape`, `expected ${formatList(shape)}, got ${formatList(gotShape)}`)
    }
    if (p.dtype !== DTYPE) c.fail(`${field}.dtype`, `expected "${DTYPE}", got ${describe(p.dtype)}`)
    if (p.encoding !== ENCODING) c.fail(`${field}.encoding`, `expected "${ENCODING}", got ${describe(p.encoding)}`)
    const text = c.string(p.data, `${field}.data`)
    let bytes: Uint8Array
    try {
      bytes = decodeBase64(text, `${field}.data`)
    } catch (e) {
      if (e instanceof Base64Error) throw new ModelFileError(c.source, e.field, e.message.slice(e.field.length + 2), { cause: e })
      throw e
    }
    const count = shape.reduce((a, b) => a * b, 1)
    if (bytes.length !== count * 8) {
      c.fail(`${field}.data`, `expected ${count * 8} bytes (${count} float64), got ${bytes.length}`)
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    const data = new Float64Array(count)
    for (let k = 0; k < count; k++) {
      const v = view.getFloat64(k * 8, true)
      if (!Number.isFinite(v)) c.fail(`${field}.data[${k}]`, `value is ${v}, expected a finite number`)
      data[k] = v
    }
    return { name, shape: [...shape], data }
  })
}

function formatList(items: readonly unknown[]): string {
  return `[${items.map((x) => (typeof x === 'number' ? String(x) : describe(x))).join(', ')}]`
}

/** A short, safe rendering of an unexpected value for a message. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return 'an object'
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
  return String(value)
}
