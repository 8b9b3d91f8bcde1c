import type { NamedParam, NetworkConfig } from '../engine/network-config'
import type { TrainConfig, TrainingSummary } from '../engine/train-config'
import { formatIssue } from '../schemas/format-issue'
import { encodeBase64 } from './base64'
import { MODEL_FORMAT, MODEL_VERSION, PARAM_DTYPE, PARAM_ENCODING, modelFileSchema } from './model-file-schema'

export { MODEL_FORMAT, MODEL_VERSION }
/** A 784-50-10 model is ~424 KB; the cap only stops a wrong or hostile file from exhausting memory. */
export const MODEL_MAX_BYTES = 128 * 1024 * 1024
/**
 * Most JSON objects and arrays a model file may hold. A real one has a few dozen; the cap is
 * checked by counting brackets before JSON.parse, so a small file of millions of nested `[]`
 * is refused before it can build millions of objects.
 */
export const MODEL_MAX_NODES = 10_000

export interface ModelFile {
  format: typeof MODEL_FORMAT
  version: typeof MODEL_VERSION
  /** ISO 8601, e.g. new Date().toISOString(). */
  savedAt: string
  network: NetworkConfig
  training: Omit<TrainConfig, 'network'>
  summary: TrainingSummary
  /** The PRNG's four uint32 state words, so a run can resume its random stream; may be empty. */
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
  const keys = ['format', 'version', 'savedAt', 'network', 'training', 'summary', 'rngState'] as const
  const lines = keys.map((k) => `  ${JSON.stringify(k)}: ${pretty(wire[k], '  ')}`)
  const params = wire.params.map((p) => `    ${inlineParam(p)}`)
  lines.push(params.length === 0 ? '  "params": []' : `  "params": [\n${params.join(',\n')}\n  ]`)
  return `{\n${lines.join(',\n')}\n}\n`
}

/**
 * The one check of a model file: size, then structure, then JSON, then the schema. Messages
 * name the file and the field, and never quote the file's text.
 */
export function parseModel(text: string, source: string): ModelFile {
  checkModelSize(text.length, source)
  const nodes = countBrackets(text)
  if (nodes > MODEL_MAX_NODES) {
    throw new ModelFileError(source, '', `not a model file: ${nodes} JSON objects and arrays (a model file has at most ${MODEL_MAX_NODES})`)
  }
  let root: unknown
  try {
    root = JSON.parse(text)
  } catch (e) {
    throw new ModelFileError(source, '', describeJsonError(text, e))
  }
  return validateModel(root, source)
}

function validateModel(root: unknown, source: string): ModelFile {
  // Format and version first: another program's JSON or a newer file should say so, not list odd fields.
  if (root === null || typeof root !== 'object' || Array.isArray(root)) throw new ModelFileError(source, '', 'must be a JSON object')
  const raw = root as Record<string, unknown>
  if (raw.format !== MODEL_FORMAT) {
    throw new ModelFileError(source, 'format', `must be "${MODEL_FORMAT}"${Object.hasOwn(raw, 'format') ? '' : ', got none'}: not a Backprop Studio model file`)
  }
  if (raw.version !== MODEL_VERSION) {
    const got = typeof raw.version === 'number' ? `version ${raw.version}` : 'no version number'
    throw new ModelFileError(source, 'version', `unsupported: ${got} (this app reads version ${MODEL_VERSION})`)
  }
  const r = modelFileSchema.safeParse(root, { reportInput: true })
  if (!r.success) {
    const { field, message } = formatIssue(r.error.issues[0], false)
    throw new ModelFileError(source, field, message)
  }
  return r.data
}

/** A model file's bytes, UTF-8 JSON: corrupt bytes are refused rather than replaced; a leading BOM is dropped. */
export function parseModelBytes(bytes: Uint8Array, source: string): ModelFile {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new ModelFileError(source, '', 'not valid UTF-8 text')
  }
  return parseModel(text, source)
}

/** `[` and `{` bytes anywhere, strings included: an upper bound on the objects JSON.parse would build. */
function countBrackets(text: string): number {
  let n = 0
  for (let i = text.indexOf('['); i !== -1; i = text.indexOf('[', i + 1)) n++
  for (let i = text.indexOf('{'); i !== -1; i = text.indexOf('{', i + 1)) n++
  return n
}

/** Where the JSON breaks, when the engine says; never the engine's detail, which quotes the file. */
function describeJsonError(text: string, e: unknown): string {
  const detail = e instanceof Error ? e.message : ''
  const reported = /at position (\d+)/.exec(detail)
  const offset = reported ? Number(reported[1]) : /end of JSON input/.test(detail) ? text.length : -1
  if (offset < 0) {
    const token = /^Unexpected token '(.)'/.exec(detail)
    return token ? `not valid JSON: unexpected ${JSON.stringify(token[1])}` : 'not valid JSON'
  }
  let line = 1
  let lineStart = 0
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++
    lineStart = i + 1
  }
  return `not valid JSON at line ${line}, column ${offset - lineStart + 1}`
}

interface WireParam {
  name: string
  shape: number[]
  dtype: typeof PARAM_DTYPE
  encoding: typeof PARAM_ENCODING
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
      return { name: p.name, shape: [...p.shape], dtype: PARAM_DTYPE, encoding: PARAM_ENCODING, data: encodeBase64(float64ToBytes(p.data)) }
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

