import type { NetworkConfig } from './network-config'
import type { TrainConfig } from './train-config'

/** A config field and what is wrong with it, e.g. { field: 'lr', message: 'must be a number > 0' }. */
export interface FieldError {
  field: string
  message: string
}

export class ConfigError extends Error {
  override name = 'ConfigError'
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '))
  }
}

export const LIMITS = {
  iters: 10_000_000,
  batchSize: 60_000,
  hiddenLayers: 8,
  hiddenSize: 4096,
  inputSize: 1 << 20,
  outputSize: 256,
  lr: 100,
  std: 10,
} as const

type Dict = Record<string, unknown>

const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Checks a config from outside (a form, a flag, IPC, a file) field by field,
 * and returns a fresh object holding only known fields.
 */
export function validateTrainConfig(input: unknown): TrainConfig {
  const errors: FieldError[] = []
  const err = (field: string, message: string) => { errors.push({ field, message }) }
  if (!isDict(input)) throw new ConfigError([{ field: 'config', message: 'must be an object' }])

  const int = (field: string, v: unknown, min: number, max: number): number => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
      err(field, `must be a whole number from ${min} to ${max}, got ${show(v)}`)
      return min
    }
    return v
  }
  const positive = (field: string, v: unknown, max: number): number => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > max) {
      err(field, `must be a number > 0 and ≤ ${max}, got ${show(v)}`)
      return 1
    }
    return v
  }

  const network = validateNetwork(input.network, err, int, positive)
  const iters = int('iters', input.iters, 1, LIMITS.iters)
  const batchSize = int('batchSize', input.batchSize, 1, LIMITS.batchSize)
  const lr = positive('lr', input.lr, LIMITS.lr)
  const seed = int('seed', input.seed, 0, 0xffffffff)
  const evalEvery = int('evalEvery', input.evalEvery, 1, LIMITS.iters)
  const evalSamples = int('evalSamples', input.evalSamples, 0, 100_000_000)
  const sampling = input.sampling
  if (sampling !== 'replacement' && sampling !== 'epochs') err('sampling', `must be "replacement" or "epochs", got ${show(sampling)}`)

  if (errors.length) throw new ConfigError(errors)
  return { network, iters, batchSize, lr, seed, evalEvery, evalSamples, sampling: sampling as TrainConfig['sampling'] }
}

export function validateNetwork(
  input: unknown,
  err: (field: string, message: string) => void,
  int: (field: string, v: unknown, min: number, max: number) => number,
  positive: (field: string, v: unknown, max: number) => number,
): NetworkConfig {
  if (!isDict(input)) {
    err('network', 'must be an object')
    return { inputSize: 1, hiddenSizes: [], outputSize: 1, activation: 'relu', weightInit: { kind: 'he' } }
  }
  const inputSize = int('network.inputSize', input.inputSize, 1, LIMITS.inputSize)
  const outputSize = int('network.outputSize', input.outputSize, 2, LIMITS.outputSize)
  const hidden = input.hiddenSizes
  let hiddenSizes: number[] = []
  if (!Array.isArray(hidden) || hidden.length > LIMITS.hiddenLayers) {
    err('network.hiddenSizes', `must be a list of 0 to ${LIMITS.hiddenLayers} layer sizes, got ${show(hidden)}`)
  } else {
    hiddenSizes = hidden.map((h, i) => int(`network.hiddenSizes[${i}]`, h, 1, LIMITS.hiddenSize))
  }
  const activation = input.activation
  if (activation !== 'relu' && activation !== 'sigmoid') {
    err('network.activation', `must be "relu" or "sigmoid", got ${show(activation)}`)
  }
  const w = input.weightInit
  let weightInit: NetworkConfig['weightInit'] = { kind: 'he' }
  if (!isDict(w) || (w.kind !== 'std' && w.kind !== 'xavier' && w.kind !== 'he')) {
    err('network.weightInit', `must be {kind: "std", std}, {kind: "xavier"} or {kind: "he"}, got ${show(w)}`)
  } else if (w.kind === 'std') {
    weightInit = { kind: 'std', std: positive('network.weightInit.std', w.std, LIMITS.std) }
  } else {
    weightInit = { kind: w.kind }
  }
  return { inputSize, hiddenSizes, outputSize, activation: activation === 'sigmoid' ? 'sigmoid' : 'relu', weightInit }
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v)
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v)
  try { return JSON.stringify(v).slice(0, 60) } catch { return typeof v }
}
