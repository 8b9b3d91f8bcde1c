import { BATCHNORM_PARAMS, paramShapes, type NamedParam, type NetworkConfig } from '../engine/network-config'
import { BOOK_TRAINING } from '../engine/train-config'
import { formatIssue } from '../schemas/format-issue'
import { networkConfigSchema } from '../schemas/network-config-schema'
import { MODEL_FORMAT, MODEL_VERSION, type ModelFile } from './model-file'
import { decodeNpy, shapeTuple, type NpyArray } from './npy'
import { NPZ_LIMITS, unzipNpz, type NpzLimits } from './npz'
import { NPZ_CONFIG_ENTRY, NPZ_CONFIG_MAX_BYTES, npzConfigSchema, type NpzConfig } from './npz-config-schema'
import { NpzError, shownName } from './npz-error'

/** A model read from an .npz, and what the import assumed for what the file does not say. */
export interface NpzImport {
  model: ModelFile
  notes: string[]
}

const PARAM_NAME = /^(W|b|gamma|beta|runningMean|runningVar)([1-9]\d?)$/
const EXPECTED = 'W1, b1, W2, b2, … (and with Batch Normalization gammaK, betaK, runningMeanK, runningVarK)'
/** When no config.json says otherwise: the book's TwoLayerNet. */
const DEFAULT_WEIGHT_INIT = { kind: 'std', std: 0.01 } as const

/**
 * A model from an .npz of the book's arrays (see modelToNpz), e.g. one np.savez wrote from the
 * book's TwoLayerNet.params. The network is read from the shapes: W1 (in, h1), …, WL (h, out),
 * and Batch Normalization when gamma1 is there; config.json, when present, gives the activation
 * (else relu, the book's), the init, the training config and record. Names, shapes, dtypes and
 * values are checked, and every refusal names the file and the array. The summary's accuracies
 * are 0 and its dataset is unknown until the caller evaluates the model.
 */
export function modelFromNpz(bytes: Uint8Array, source: string, limits: NpzLimits = NPZ_LIMITS): NpzImport {
  const entries = unzipNpz(bytes, source, limits)
  const notes: string[] = []
  const configBytes = entries.get(NPZ_CONFIG_ENTRY)
  const config = configBytes ? parseConfig(configBytes, source) : null
  const arrays = new Map<string, NpyArray>()
  for (const [file, data] of entries) {
    if (file === NPZ_CONFIG_ENTRY) continue
    const name = file.endsWith('.npy') ? file.slice(0, -4) : null
    if (name === null || !PARAM_NAME.test(name)) {
      throw new NpzError(source, '', `${shownName(file)} is not an array of a network; expected ${EXPECTED}`)
    }
    arrays.set(name, decodeNpy(data, source, name))
  }
  const network = inferNetwork(arrays, config, source, notes)
  const params: NamedParam[] = paramShapes(network).map(({ name, shape }) => {
    const a = arrays.get(name)
    if (!a) throw new NpzError(source, name, `missing: a ${describeNetwork(network)} network needs ${EXPECTED.split(' (')[0]}${network.batchnorm ? ' with gamma, beta, runningMean and runningVar for each hidden layer' : ''}`)
    if (a.shape.join() !== shape.join()) throw new NpzError(source, name, `expected shape ${shapeTuple(shape)}, got ${shapeTuple(a.shape)}`)
    const bad = a.data.findIndex((v) => !Number.isFinite(v))
    if (bad >= 0) throw new NpzError(source, name, `value ${bad} is ${a.data[bad]}; every value must be a finite number`)
    if (name.startsWith('runningVar') && a.data.some((v) => v < 0)) throw new NpzError(source, name, 'holds a negative variance')
    arrays.delete(name)
    return { name, shape, data: a.data }
  })
  const extra = [...arrays.keys()][0]
  if (extra !== undefined) throw new NpzError(source, extra, `is not a parameter of the ${describeNetwork(network)} network the W arrays make`)
  const { network: _, ...training } = BOOK_TRAINING
  if (!config?.training) notes.push(`no training config in ${source}: the book's (SGD, lr 0.1, batch 100) is recorded`)
  const model: ModelFile = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    savedAt: new Date().toISOString(),
    network,
    training: config?.training ?? training,
    summary: { iterations: config?.summary?.iterations ?? 0, loss: config?.summary?.loss ?? 0, trainAcc: 0, testAcc: 0, dataset: { name: `imported from ${source}`, fingerprint: '' } },
    rngState: [],
    params,
  }
  if (!config?.summary) notes.push(`no training record in ${source}: iterations and loss are recorded as 0`)
  return { model, notes }
}

function parseConfig(bytes: Uint8Array, source: string): NpzConfig {
  const fail = (problem: string): never => { throw new NpzError(source, NPZ_CONFIG_ENTRY, problem) }
  if (bytes.length > NPZ_CONFIG_MAX_BYTES) fail(`is ${bytes.length} bytes (at most ${NPZ_CONFIG_MAX_BYTES})`)
  let root: unknown
  try {
    root = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch {
    fail('is not valid UTF-8 JSON')
  }
  const r = npzConfigSchema.safeParse(root, { reportInput: true })
  if (!r.success) {
    const { field, message } = formatIssue(r.error.issues[0], false)
    fail(field ? `${field}: ${message}` : message)
  }
  return r.data!
}

/** The network the W arrays chain into, with config.json's activation and init; sizes it gives must agree. */
function inferNetwork(arrays: Map<string, NpyArray>, config: NpzConfig | null, source: string, notes: string[]): NetworkConfig {
  const Ws: NpyArray[] = []
  for (let k = 1; arrays.has(`W${k}`); k++) Ws.push(arrays.get(`W${k}`)!)
  if (Ws.length === 0) throw new NpzError(source, 'W1', `missing: expected ${EXPECTED}`)
  const stray = [...arrays.keys()].find((n) => n.startsWith('W') && Number(n.slice(1)) > Ws.length)
  if (stray) throw new NpzError(source, `W${Ws.length + 1}`, `missing, yet ${stray} is there`)
  const sizes: number[] = []
  for (const [i, W] of Ws.entries()) {
    const name = `W${i + 1}`
    if (W.shape.length !== 2) throw new NpzError(source, name, `expected a matrix (in, out), got shape ${shapeTuple(W.shape)}`)
    if (i === 0) sizes.push(W.shape[0])
    else if (W.shape[0] !== sizes[i]) {
      throw new NpzError(source, name, `shape ${shapeTuple(W.shape)} does not follow W${i} ${shapeTuple(Ws[i - 1].shape)}: expected (${sizes[i]}, …)`)
    }
    sizes.push(W.shape[1])
  }
  const c = config?.network
  const activation = c?.activation ?? 'relu'
  if (!c?.activation) notes.push(`${config ? `${NPZ_CONFIG_ENTRY} names no activation` : `no ${NPZ_CONFIG_ENTRY} in ${source}`}: relu assumed (the book's default)`)
  const batchnorm = arrays.has('gamma1')
  const raw = { inputSize: sizes[0], hiddenSizes: sizes.slice(1, -1), outputSize: sizes[sizes.length - 1], activation, weightInit: c?.weightInit ?? DEFAULT_WEIGHT_INIT, batchnorm }
  const r = networkConfigSchema.safeParse(raw, { reportInput: true })
  if (!r.success) {
    const { field, message } = formatIssue(r.error.issues[0], false)
    throw new NpzError(source, '', `the W arrays make a ${describeNetwork(raw)} network, which this app cannot build: ${field}: ${message}`)
  }
  const network = r.data
  const agree: [string, unknown, unknown][] = [
    ['inputSize', c?.inputSize, network.inputSize],
    ['hiddenSizes', c?.hiddenSizes, network.hiddenSizes],
    ['outputSize', c?.outputSize, network.outputSize],
    ['batchnorm', c?.batchnorm, network.batchnorm],
  ]
  for (const [field, said, found] of agree) {
    if (said !== undefined && JSON.stringify(said) !== JSON.stringify(found)) {
      throw new NpzError(source, NPZ_CONFIG_ENTRY, `network.${field} is ${JSON.stringify(said)} but the arrays give ${JSON.stringify(found)}`)
    }
  }
  if (batchnorm) {
    for (let k = 1; k < sizes.length - 1; k++) {
      for (const p of BATCHNORM_PARAMS) {
        if (!arrays.has(`${p}${k}`)) throw new NpzError(source, `${p}${k}`, `missing: with gamma1 present, each hidden layer needs gamma, beta, runningMean and runningVar (evaluation uses the running statistics)`)
      }
    }
  }
  return network
}

function describeNetwork(n: Pick<NetworkConfig, 'inputSize' | 'hiddenSizes' | 'outputSize'>): string {
  return [n.inputSize, ...n.hiddenSizes, n.outputSize].join('-')
}
