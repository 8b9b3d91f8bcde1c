import type { WeightInit } from '../engine/network-config'
import type { TrainConfig } from '../engine/train-config'
import { Random } from '../engine/random'
import { ConfigError } from '../schemas/config-error'
import type { InitKind, SweepSpace, SweepSpec } from './sweep-spec'

type Dim = { [K in keyof SweepSpace]-?: { key: K; values: NonNullable<SweepSpace[K]> } }[keyof SweepSpace]

/** The swept dimensions, in a fixed order; lists left empty are not swept. */
function dimensions(space: SweepSpace): Dim[] {
  const dims: Dim[] = []
  const add = <K extends keyof SweepSpace>(key: K) => {
    const values = space[key]
    if (values && values.length) dims.push({ key, values } as Dim)
  }
  add('lr'); add('batchSize'); add('hiddenSizes'); add('optimizer'); add('weightInit'); add('weightDecay'); add('dropout')
  return dims
}

/** Combinations a grid over `space` has. */
export function gridSize(space: SweepSpace): number {
  return dimensions(space).reduce((n, d) => n * d.values.length, 1)
}

/**
 * The config of every trial of a sweep: the base config with spec.iters iterations and the
 * swept values set. A grid with more combinations than spec.trials is refused (ConfigError), so
 * that no combination is silently left out.
 */
export function sweepTrials(spec: SweepSpec): TrainConfig[] {
  const dims = dimensions(spec.space)
  const base: TrainConfig = { ...spec.base, iters: spec.iters, evalEvery: Math.min(spec.base.evalEvery, spec.iters) }
  if (spec.mode === 'grid') {
    const total = gridSize(spec.space)
    if (total > spec.trials) throw new ConfigError([{ field: 'trials', message: `the grid has ${total} combinations, more than the ${spec.trials} trials; raise trials to ${total}, shorten the lists, or search at random` }])
    const out: TrainConfig[] = []
    for (let i = 0; i < total; i++) {
      let rest = i
      const picks = new Map<string, unknown>()
      for (let d = dims.length - 1; d >= 0; d--) {
        const vs = dims[d].values
        picks.set(dims[d].key, vs[rest % vs.length])
        rest = Math.floor(rest / vs.length)
      }
      out.push(apply(base, picks))
    }
    return out
  }
  const rng = new Random(spec.seed)
  return Array.from({ length: spec.trials }, () => {
    const picks = new Map<string, unknown>()
    for (const d of dims) {
      const vs = d.values as unknown[]
      if (d.key === 'lr' && vs.length > 1) {
        const lo = Math.log(Math.min(...(vs as number[]))), hi = Math.log(Math.max(...(vs as number[])))
        picks.set('lr', Number(Math.exp(lo + (hi - lo) * rng.next()).toPrecision(3)))
      } else picks.set(d.key, vs[rng.int(vs.length)])
    }
    return apply(base, picks)
  })
}

function apply(base: TrainConfig, picks: Map<string, unknown>): TrainConfig {
  const c: TrainConfig = structuredClone(base)
  for (const [key, v] of picks) {
    switch (key) {
      case 'lr': c.lr = v as number; break
      case 'batchSize': c.batchSize = v as number; break
      case 'hiddenSizes': c.network.hiddenSizes = [...(v as number[])]; break
      case 'optimizer': c.optimizer = { kind: v as NonNullable<TrainConfig['optimizer']>['kind'] }; break
      case 'weightInit': c.network.weightInit = initOf(v as InitKind, base.network.weightInit); break
      case 'weightDecay': c.weightDecay = v as number; break
      case 'dropout': c.dropout = v as number; break
    }
  }
  return c
}

/** std keeps the base's σ when the base uses std, else the book's 0.01. */
function initOf(kind: InitKind, base: WeightInit): WeightInit {
  if (kind !== 'std') return { kind }
  return base.kind === 'std' ? base : { kind: 'std', std: 0.01 }
}
