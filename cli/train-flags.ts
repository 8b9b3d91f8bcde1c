import { ENGINES, type Engine } from '../shared/engine/engine'
import { BOOK_TRAINING, type TrainConfig } from '../shared/engine/train-config'
import { ConfigError } from '../shared/schemas/config-error'
import { parseTrainConfig } from '../shared/schemas/parse-train-config'
import { UsageError } from '../shared/command-line/usage-error'
import { numberFlag, stringFlag } from '../shared/command-line/parse-flags'

/** Config field → the flag that sets it, so a validation message names what the user typed. */
const FLAG_OF: Record<string, string> = {
  iters: '--iters', batchSize: '--batch', lr: '--lr', seed: '--seed', evalEvery: '--eval-every',
  evalSamples: '--eval-samples', sampling: '--sampling', 'network.activation': '--activation',
  'network.weightInit.std': '--init-std', 'network.weightInit': '--init',
}

function flagFor(field: string): string {
  if (field.startsWith('network.hiddenSizes')) return '--hidden'
  return FLAG_OF[field] ?? field
}

/** Parses "50" or "100,50" into hidden layer sizes; "" or "none" is no hidden layer. */
export function parseHidden(v: string | undefined, fallback: number[]): number[] {
  if (v === undefined) return fallback
  if (v.trim() === '' || v.trim() === 'none') return []
  return v.split(',').map((s) => {
    const n = Number(s.trim())
    if (s.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--hidden: expected sizes like 50 or 100,50, got ${JSON.stringify(v)}`)
    return n
  })
}

/** Builds and validates a TrainConfig from flags, on top of the book's defaults. */
export function trainConfigFromFlags(flags: Map<string, string | true>, inputSize: number, classes: number): TrainConfig {
  const init = stringFlag(flags, 'init') ?? 'std'
  if (init !== 'std' && init !== 'xavier' && init !== 'he') throw new UsageError(`--init: expected std, xavier or he, got ${JSON.stringify(init)}`)
  const std = numberFlag(flags, 'init-std', 0.01)
  if (flags.has('init-std') && init !== 'std') throw new UsageError(`--init-std: only applies with --init std, not ${init}`)
  const raw = {
    network: {
      inputSize,
      hiddenSizes: parseHidden(stringFlag(flags, 'hidden'), BOOK_TRAINING.network.hiddenSizes),
      outputSize: classes,
      activation: stringFlag(flags, 'activation') ?? 'relu',
      weightInit: init === 'std' ? { kind: 'std', std } : { kind: init },
    },
    iters: numberFlag(flags, 'iters', BOOK_TRAINING.iters),
    batchSize: numberFlag(flags, 'batch', BOOK_TRAINING.batchSize),
    lr: numberFlag(flags, 'lr', BOOK_TRAINING.lr),
    seed: numberFlag(flags, 'seed', BOOK_TRAINING.seed),
    evalEvery: numberFlag(flags, 'eval-every', BOOK_TRAINING.evalEvery),
    evalSamples: numberFlag(flags, 'eval-samples', BOOK_TRAINING.evalSamples),
    sampling: stringFlag(flags, 'sampling') ?? BOOK_TRAINING.sampling,
  }
  try {
    return parseTrainConfig(raw)
  } catch (e) {
    if (e instanceof ConfigError) {
      const first = e.errors[0]
      throw new UsageError(`${flagFor(first.field)}: ${first.message}`)
    }
    throw e
  }
}

/** --engine: reference runs the book's dense Affine layers, fast (the default) the sparse ones. */
export function engineFromFlags(flags: Map<string, string | true>): Engine {
  const engine = stringFlag(flags, 'engine') ?? 'fast'
  const known = ENGINES.find((e) => e === engine)
  if (!known) throw new UsageError(`--engine: expected ${ENGINES.join(' or ')}, got ${JSON.stringify(engine)}`)
  return known
}
