import type { SamplerState } from '../engine/batch-sampler'
import type { NamedParam, NetworkConfig } from '../engine/network-config'
import type { OptimizerState } from '../engine/optimizer'
import type { TrainConfig, TrainingSummary } from '../engine/train-config'
import type { EvalReport } from '../engine/trainer'
import { formatIssue } from '../schemas/format-issue'
import { encodeBase64 } from './base64'
import { MODEL_FORMAT, MODEL_VERSION, MODEL_VERSIONS, PARAM_DTYPE, PARAM_ENCODING, modelFileV1Schema, modelFileV2Schema } from './model-file-schema'

export { MODEL_FORMAT, MODEL_VERSION }

/** The metric history of a model's training, across every run that continued it. */
export interface ModelHistory {
  /** The iteration of losses[0]: 0, or where the record starts for a model from a version 1 file. */
  lossStart: number
  /** The mini-batch loss of every iteration from lossStart to summary.iterations. */
  losses: Float64Array
  /** Every evaluation, in order. */
  evals: EvalReport[]
}
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
  /** Exactly paramShapes(network), in that order (BatchNorm's running statistics included). */
  params: NamedParam[]
  /**
   * What continuing needs, written by version 2 and always there in a parsed file (a version 1
   * file opens with a fresh optimiser, a new epoch and an empty history); absent means the same.
   */
  optimizer?: OptimizerState
  sampler?: SamplerState
  history?: ModelHistory
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
  const list = (items: WireParam[], indent: string) =>
    items.length === 0 ? '[]' : `[\n${items.map((p) => `${indent}  ${inlineParam(p)}`).join(',\n')}\n${indent}]`
  lines.push(`  "params": ${list(wire.params, '  ')}`)
  lines.push(`  "optimizer": {\n    "step": ${wire.optimizer.step},\n    "buffers": ${list(wire.optimizer.buffers, '    ')}\n  }`)
  lines.push(`  "sampler": ${pretty(wire.sampler, '  ')}`)
  const h = wire.history
  const evals = Object.entries(h.evals).map(([k, v]) => `      ${JSON.stringify(k)}: [${v.map((x) => JSON.stringify(x)).join(', ')}]`)
  lines.push(`  "history": {\n    "lossStart": ${h.lossStart},\n    "losses": ${JSON.stringify(h.losses)},\n    "evals": {\n${evals.join(',\n')}\n    }\n  }`)
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
  if (!MODEL_VERSIONS.some((v) => v === raw.version)) {
    const got = typeof raw.version === 'number' ? `version ${raw.version}` : 'no version number'
    throw new ModelFileError(source, 'version', `unsupported: ${got} (this app reads versions ${MODEL_VERSIONS.join(' and ')})`)
  }
  const r = (raw.version === 1 ? modelFileV1Schema : modelFileV2Schema).safeParse(root, { reportInput: true })
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

interface WireHistory {
  lossStart: number
  losses: { dtype: typeof PARAM_DTYPE; encoding: typeof PARAM_ENCODING; data: string }
  evals: Record<'iter' | 'epoch' | 'loss' | 'trainAcc' | 'testAcc', number[]>
}

type Wire = Omit<ModelFile, 'params' | 'optimizer' | 'sampler' | 'history'> & {
  params: WireParam[]
  optimizer: { step: number; buffers: WireParam[] }
  sampler: SamplerState
  history: WireHistory
}

function wireParam(p: NamedParam, source: string, field: string): WireParam {
  if (!(p.data instanceof Float64Array)) throw new ModelFileError(source, `${field}.${p.name}.data`, 'expected a Float64Array')
  return { name: p.name, shape: [...p.shape], dtype: PARAM_DTYPE, encoding: PARAM_ENCODING, data: encodeBase64(float64ToBytes(p.data)) }
}

/** A fresh plain object of known fields only, so stray runtime properties are never written. */
function toWire(model: ModelFile, source: string): Wire {
  const { network: n, training: t, summary: s } = model
  const o = t.optimizer ?? { kind: 'sgd' }
  const optimizer = model.optimizer ?? { step: 0, buffers: [] }
  const sampler = model.sampler ?? { shuffleState: [], pos: 0 }
  const history = model.history ?? { lossStart: s.iterations, losses: new Float64Array(0), evals: [] }
  const column = (k: keyof EvalReport) => history.evals.map((e) => e[k])
  return {
    format: model.format,
    version: MODEL_VERSION,
    savedAt: model.savedAt,
    network: {
      inputSize: n.inputSize,
      hiddenSizes: Array.isArray(n.hiddenSizes) ? [...n.hiddenSizes] : n.hiddenSizes,
      outputSize: n.outputSize,
      activation: n.activation,
      weightInit: n.weightInit.kind === 'std' ? { kind: 'std', std: n.weightInit.std } : { kind: n.weightInit.kind },
      batchnorm: n.batchnorm ?? false,
    },
    training: {
      iters: t.iters,
      batchSize: t.batchSize,
      lr: t.lr,
      seed: t.seed,
      evalEvery: t.evalEvery,
      evalSamples: t.evalSamples,
      sampling: t.sampling,
      optimizer: o.kind === 'momentum' || o.kind === 'nesterov' ? { kind: o.kind, momentum: o.momentum ?? 0.9 }
        : o.kind === 'rmsprop' ? { kind: o.kind, decayRate: o.decayRate ?? 0.99 }
          : o.kind === 'adam' ? { kind: o.kind, beta1: o.beta1 ?? 0.9, beta2: o.beta2 ?? 0.999 }
            : { kind: o.kind },
      weightDecay: t.weightDecay ?? 0,
      dropout: t.dropout ?? 0,
    },
    summary: {
      iterations: s.iterations,
      loss: s.loss,
      trainAcc: s.trainAcc,
      testAcc: s.testAcc,
      dataset: { name: s.dataset.name, fingerprint: s.dataset.fingerprint },
    },
    rngState: Array.isArray(model.rngState) ? [...model.rngState] : model.rngState,
    params: model.params.map((p) => wireParam(p, source, 'params')),
    optimizer: { step: optimizer.step, buffers: optimizer.buffers.map((b) => wireParam(b, source, 'optimizer.buffers')) },
    sampler: { shuffleState: [...sampler.shuffleState], pos: sampler.pos },
    history: {
      lossStart: history.lossStart,
      losses: { dtype: PARAM_DTYPE, encoding: PARAM_ENCODING, data: encodeBase64(float64ToBytes(history.losses)) },
      evals: { iter: column('iter'), epoch: column('epoch'), loss: column('loss'), trainAcc: column('trainAcc'), testAcc: column('testAcc') },
    },
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

