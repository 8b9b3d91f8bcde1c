import { ENGINES, type Engine } from '../shared/engine/engine'
import { OPTIMIZER_KINDS, type OptimizerKind } from '../shared/engine/optimizer'
import { BOOK_TRAINING, type TrainConfig } from '../shared/engine/train-config'
import { ConfigError } from '../shared/schemas/config-error'
import { parseTrainConfig } from '../shared/schemas/parse-train-config'
import { UsageError } from '../shared/command-line/usage-error'
import { numberFlag, stringFlag } from '../shared/command-line/parse-flags'

/** Config field → the flag that sets it, so a validation message names what the user typed. */
const FLAG_OF: Record<string, string> = {
  iters: '--iters', batchSize: '--batch', lr: '--lr', seed: '--seed', evalEvery: '--eval-every',
  evalSamples: '--eval-samples', sampling: '--sampling', 'network.activation': '--activation',
  'network.weightInit.std': '--init-std', 'network.weightInit': '--init', optimizer: '--optimizer',
  'optimizer.kind': '--optimizer', 'optimizer.momentum': '--momentum', 'optimizer.beta1': '--beta1',
  'optimizer.beta2': '--beta2', weightDecay: '--weight-decay', dropout: '--dropout', 'network.batchnorm': '--batchnorm',
}

/** Flags that shape the network: a resumed run takes its network from the model instead. */
const NETWORK_FLAGS = ['hidden', 'activation', 'init', 'init-std', 'batchnorm'] as const

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

/** --optimizer and its hyperparameters; a hyperparameter of another optimiser is refused, naming both. */
function optimizerFromFlags(flags: Map<string, string | true>, base: TrainConfig['optimizer']): unknown {
  const given = stringFlag(flags, 'optimizer')
  const kind = given ?? base?.kind ?? 'sgd'
  if (!OPTIMIZER_KINDS.includes(kind as OptimizerKind)) {
    throw new UsageError(`--optimizer: expected ${OPTIMIZER_KINDS.join(', ')}, got ${JSON.stringify(kind)}`)
  }
  const uses: Record<string, OptimizerKind[]> = { momentum: ['momentum', 'nesterov'], beta1: ['adam'], beta2: ['adam'] }
  for (const [flag, kinds] of Object.entries(uses)) {
    if (flags.has(flag) && !kinds.includes(kind as OptimizerKind)) {
      throw new UsageError(`--${flag}: only applies with --optimizer ${kinds.join(' or ')}, not ${kind}`)
    }
  }
  const kept = base?.kind === kind ? base : { kind }
  const over: Record<string, number> = {}
  for (const flag of ['momentum', 'beta1', 'beta2']) if (flags.has(flag)) over[flag] = numberFlag(flags, flag, 0)
  return { ...kept, ...over }
}

/**
 * Builds and validates a TrainConfig from flags, on top of the book's defaults, or, with
 * `resumed`, on top of a model's config: its network then stays (network flags are refused),
 * and --iters counts the iterations to add.
 */
export function trainConfigFromFlags(flags: Map<string, string | true>, inputSize: number, classes: number, resumed?: TrainConfig): TrainConfig {
  const base = resumed ?? BOOK_TRAINING
  if (resumed) {
    const flag = NETWORK_FLAGS.find((f) => flags.has(f))
    if (flag) throw new UsageError(`--${flag}: a resumed run keeps the model's network; leave --${flag} out with --resume`)
  }
  const init = stringFlag(flags, 'init') ?? 'std'
  if (init !== 'std' && init !== 'xavier' && init !== 'he') throw new UsageError(`--init: expected std, xavier or he, got ${JSON.stringify(init)}`)
  const std = numberFlag(flags, 'init-std', 0.01)
  if (flags.has('init-std') && init !== 'std') throw new UsageError(`--init-std: only applies with --init std, not ${init}`)
  const raw = {
    network: resumed ? resumed.network : {
      inputSize,
      hiddenSizes: parseHidden(stringFlag(flags, 'hidden'), BOOK_TRAINING.network.hiddenSizes),
      outputSize: classes,
      activation: stringFlag(flags, 'activation') ?? 'relu',
      weightInit: init === 'std' ? { kind: 'std', std } : { kind: init },
      batchnorm: flags.has('batchnorm'),
    },
    iters: numberFlag(flags, 'iters', base.iters),
    batchSize: numberFlag(flags, 'batch', base.batchSize),
    lr: numberFlag(flags, 'lr', base.lr),
    seed: numberFlag(flags, 'seed', base.seed),
    evalEvery: numberFlag(flags, 'eval-every', base.evalEvery),
    evalSamples: numberFlag(flags, 'eval-samples', base.evalSamples),
    sampling: stringFlag(flags, 'sampling') ?? base.sampling,
    optimizer: optimizerFromFlags(flags, base.optimizer),
    weightDecay: numberFlag(flags, 'weight-decay', base.weightDecay ?? 0),
    dropout: numberFlag(flags, 'dropout', base.dropout ?? 0),
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
