import { SweepService } from '../electron/services/sweep-service'
import { WorkerPool } from '../electron/services/worker-pool'
import { numberFlag, parseFlags, stringFlag } from '../shared/command-line/parse-flags'
import { UsageError } from '../shared/command-line/usage-error'
import { checkMemoryBudget, datasetDims, estimateWorkerBytes } from '../shared/engine/memory-budget'
import { optimizerOf } from '../shared/engine/train-config'
import { ConfigError } from '../shared/schemas/config-error'
import { formatIssue } from '../shared/schemas/format-issue'
import { sweepSpecSchema } from '../shared/schemas/sweep-spec-schema'
import { rankTrials } from '../shared/sweep/rank-trials'
import type { SweepSpec, SweepTrial } from '../shared/sweep/sweep-spec'
import { sweepTrials } from '../shared/sweep/sweep-trials'
import { openDataset } from './open-dataset'
import type { Output } from './output'
import { trainConfigFromFlags } from './train-flags'

const FLAGS = {
  data: 'string', iters: 'string', trials: 'string', mode: 'string', seed: 'string', workers: 'string',
  lr: 'string', batch: 'string', hidden: 'string', optimizer: 'string', init: 'string', 'weight-decay': 'string', dropout: 'string',
  'eval-every': 'string', 'eval-samples': 'string', activation: 'string', json: 'boolean',
} as const

/** Spec field → the flag that sets it. */
const FLAG_OF: Record<string, string> = {
  mode: '--mode', trials: '--trials', iters: '--iters', seed: '--seed', 'space.lr': '--lr', 'space.batchSize': '--batch',
  'space.hiddenSizes': '--hidden', 'space.optimizer': '--optimizer', 'space.weightInit': '--init',
  'space.weightDecay': '--weight-decay', 'space.dropout': '--dropout',
}

/** "0.01,0.1,1" → [0.01, 0.1, 1]; each item must be a plain number. */
function numberList(flags: Map<string, string | true>, name: string): number[] | undefined {
  const v = stringFlag(flags, name)
  if (v === undefined) return undefined
  return v.split(',').map((s) => {
    const n = s.trim() === '' ? Number.NaN : Number(s.trim())
    if (!Number.isFinite(n)) throw new UsageError(`--${name}: expected numbers separated by commas, got ${JSON.stringify(v)}`)
    return n
  })
}

function wordList(flags: Map<string, string | true>, name: string): string[] | undefined {
  return stringFlag(flags, name)?.split(',').map((s) => s.trim())
}

/** "50/100,50/none": alternatives separated by '/', each a comma list of layer sizes. */
function hiddenList(flags: Map<string, string | true>): number[][] | undefined {
  const v = stringFlag(flags, 'hidden')
  if (v === undefined) return undefined
  return v.split('/').map((alt) => {
    if (alt.trim() === 'none') return []
    return alt.split(',').map((s) => {
      const n = s.trim() === '' ? Number.NaN : Number(s.trim())
      if (!Number.isFinite(n)) throw new UsageError(`--hidden: expected alternatives like 50/100,50, got ${JSON.stringify(v)}`)
      return n
    })
  })
}

/** The sweep the flags describe, checked by the same schema as the app's; the first problem names its flag. */
export function sweepSpecFromFlags(flags: Map<string, string | true>, inputSize: number, classes: number): SweepSpec {
  const iters = numberFlag(flags, 'iters', 1000)
  const baseFlags = new Map<string, string | true>()
  for (const k of ['eval-every', 'eval-samples', 'activation', 'seed'] as const) if (flags.has(k)) baseFlags.set(k, flags.get(k)!)
  baseFlags.set('iters', String(iters))
  if (!flags.has('eval-every')) baseFlags.set('eval-every', String(Math.max(1, iters)))
  const base = trainConfigFromFlags(baseFlags, inputSize, classes)
  const raw = {
    mode: stringFlag(flags, 'mode') ?? 'grid',
    trials: numberFlag(flags, 'trials', 64),
    iters,
    seed: numberFlag(flags, 'seed', 1),
    base,
    space: {
      lr: numberList(flags, 'lr'), batchSize: numberList(flags, 'batch'), hiddenSizes: hiddenList(flags),
      optimizer: wordList(flags, 'optimizer'), weightInit: wordList(flags, 'init'),
      weightDecay: numberList(flags, 'weight-decay'), dropout: numberList(flags, 'dropout'),
    },
  }
  const r = sweepSpecSchema.safeParse(raw, { reportInput: true })
  if (!r.success) {
    const first = formatIssue(r.error.issues[0])
    const flag = Object.entries(FLAG_OF).find(([field]) => first.field === field || first.field.startsWith(`${field}[`) || first.field.startsWith(`${field}.`))?.[1] ?? first.field
    throw new UsageError(`${flag}: ${first.message}`)
  }
  if (!flags.has('trials') && r.data.mode === 'random') throw new UsageError('--trials: required with --mode random')
  return r.data
}

function trialLine(t: SweepTrial) {
  const c = t.config
  return {
    index: t.index, state: t.state, lr: c.lr, batchSize: c.batchSize, hiddenSizes: c.network.hiddenSizes,
    optimizer: optimizerOf(c).kind, init: c.network.weightInit.kind, weightDecay: c.weightDecay ?? 0, dropout: c.dropout ?? 0,
    iterations: t.iter, loss: t.loss, trainAcc: t.trainAcc, testAcc: t.testAcc, seconds: t.seconds,
    ...(t.error ? { error: t.error } : {}),
  }
}

const ENDED = new Set(['finished', 'diverged', 'failed', 'cancelled'])

/** `sweep`: trials across the worker pool; one line per finished trial, then the ranking. */
export async function sweepCommand(argv: readonly string[], out: Output): Promise<void> {
  const flags = parseFlags(argv, FLAGS)
  const json = flags.has('json')
  // refuse bad flags before reading any data
  const trials = (() => {
    try { return sweepTrials(sweepSpecFromFlags(flags, 784, 10)) } catch (e) { throw asUsage(e) }
  })()
  const workers = numberFlag(flags, 'workers', 0)
  if (flags.has('workers') && (!Number.isInteger(workers) || workers < 1 || workers > 64)) throw new UsageError(`--workers: must be a whole number from 1 to 64, got ${stringFlag(flags, 'workers')}`)
  const data = await openDataset(stringFlag(flags, 'data'), out, json)
  const spec = sweepSpecFromFlags(flags, data.rows * data.cols, data.classes)
  const configs = (() => {
    try { return sweepTrials(spec) } catch (e) { throw asUsage(e) }
  })()
  for (const c of configs) checkMemoryBudget(estimateWorkerBytes(c, datasetDims(data)), 'batchSize')
  const pool = new WorkerPool({ dataset: data, ...(workers ? { size: workers } : {}) })
  const service = new SweepService(pool)
  const onSigint = () => { service.cancel() }
  process.on('SIGINT', onSigint)
  try {
    if (!json) out.line(`Sweep (${spec.mode}): ${trials.length} trials of ${spec.iters} iterations, ${Math.min(pool.size, trials.length)} at a time`)
    const { done } = service.start(spec.mode, configs, {
      trial: (_id, t) => {
        if (!ENDED.has(t.state)) return
        const x = trialLine(t)
        if (json) out.line(JSON.stringify({ event: 'trial', ...x }))
        else out.line(`trial ${String(t.index + 1).padStart(3)} ${t.state.padEnd(9)} ${describe(x)}  loss ${fixed(t.loss)}  test ${fixed(t.testAcc)}  ${t.seconds.toFixed(1)} s`)
      },
      finished: () => undefined,
    })
    const status = await done
    const ranked = rankTrials(status.trials)
    if (json) out.line(JSON.stringify({ event: 'ranking', cancelled: status.state === 'cancelled', trials: ranked.map((t, i) => ({ rank: i + 1, ...trialLine(t) })) }))
    else {
      out.line('Ranking (test accuracy, then loss):')
      ranked.forEach((t, i) => out.line(`${String(i + 1).padStart(3)}. trial ${t.index + 1}  ${describe(trialLine(t))}  test ${fixed(t.testAcc)}  loss ${fixed(t.loss)}`))
    }
  } finally {
    process.off('SIGINT', onSigint)
    await service.dispose()
    await pool.dispose()
  }
}

function describe(x: ReturnType<typeof trialLine>): string {
  return `lr ${x.lr} batch ${x.batchSize} hidden ${x.hiddenSizes.join(',') || 'none'} ${x.optimizer} ${x.init} wd ${x.weightDecay} dropout ${x.dropout}`
}

function fixed(x: number): string {
  return Number.isFinite(x) ? x.toFixed(4) : '—'
}

function asUsage(e: unknown): unknown {
  if (e instanceof ConfigError) return new UsageError(`--${e.errors[0].field}: ${e.errors[0].message}`)
  return e
}
