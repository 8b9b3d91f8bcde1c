import { atomicWriteFile } from '../electron/services/atomic-write'
import { RunStore } from '../electron/services/run-store'
import { parseFlags, stringFlag } from '../shared/command-line/parse-flags'
import { UsageError } from '../shared/command-line/usage-error'
import { optimizerOf } from '../shared/engine/train-config'
import type { RunSummary } from '../shared/runs/run-record'
import { checkWritable } from './check-writable'
import type { Output } from './output'
import { runsDir } from './runs-dir'

const FLAGS = { runs: 'string', json: 'boolean', csv: 'string' } as const

/** `runs list`, `runs show ID`, `runs export ID --csv FILE`: the app's run library, read-only but for the export. */
export async function runsCommand(argv: readonly string[], out: Output): Promise<void> {
  const [sub, ...rest] = argv
  const needsId = sub === 'show' || sub === 'export'
  if (sub !== 'list' && !needsId) throw new UsageError(`runs: expected list, show ID or export ID --csv FILE, got ${sub === undefined ? 'nothing' : JSON.stringify(sub)}`)
  const id = needsId ? rest[0] : undefined
  if (needsId && (id === undefined || id.startsWith('--'))) throw new UsageError(`runs ${sub}: expected a run id (see runs list)`)
  const flags = parseFlags(needsId ? rest.slice(1) : rest, FLAGS)
  const json = flags.has('json')
  const store = new RunStore(runsDir(stringFlag(flags, 'runs')))
  if (sub === 'list') {
    if (flags.has('csv')) throw new UsageError('--csv: only applies to runs export')
    const { runs, damaged } = await store.list()
    if (json) {
      for (const r of runs) out.line(JSON.stringify({ event: 'run', ...row(r) }))
      for (const d of damaged) out.line(JSON.stringify({ event: 'damaged', ...d }))
      return
    }
    if (!runs.length && !damaged.length) { out.line(`No runs in ${store.dir}`); return }
    out.line(`${'id'.padEnd(22)} ${'date'.padEnd(16)} ${'status'.padEnd(11)} ${'optimiser'.padEnd(9)} ${'lr'.padStart(8)} ${'batch'.padStart(6)} ${'network'.padEnd(14)} ${'loss'.padStart(8)} ${'train'.padStart(7)} ${'test'.padStart(7)} ${'secs'.padStart(7)}  name`)
    for (const r of runs) {
      const x = row(r)
      out.line(`${x.id.padEnd(22)} ${x.startedAt.slice(0, 16).replace('T', ' ').padEnd(16)} ${x.status.padEnd(11)} ${x.optimizer.padEnd(9)} ${String(x.lr).padStart(8)} ${String(x.batchSize).padStart(6)} ${x.network.padEnd(14)} ${fixed(x.loss, 4, 8)} ${fixed(x.trainAcc, 4, 7)} ${fixed(x.testAcc, 4, 7)} ${fixed(x.seconds, 1, 7)}  ${x.name}`)
    }
    for (const d of damaged) out.warn(`damaged run ${d.id}: ${d.problem}`)
    return
  }
  if (sub === 'show') {
    if (flags.has('csv')) throw new UsageError('--csv: only applies to runs export')
    const meta = await store.meta(id!)
    if (json) { out.line(JSON.stringify({ event: 'run', ...row(await store.summary(id!)), config: meta.config, evals: meta.evals })); return }
    const r = row(await store.summary(id!))
    out.line(`${r.name} (${r.id}), ${r.status}`)
    out.line(`  started ${r.startedAt}, ${r.seconds.toFixed(1)} s, ${r.iterations} iterations on ${meta.dataset.name} (${meta.dataset.fingerprint.slice(0, 12)})`)
    out.line(`  ${r.network} ${meta.config.network.activation}, ${r.optimizer}, lr ${r.lr}, batch ${r.batchSize}, seed ${meta.config.seed}, weight decay ${meta.config.weightDecay ?? 0}, dropout ${meta.config.dropout ?? 0}`)
    out.line(`  loss ${fixed(r.loss, 4, 0)}, train accuracy ${fixed(r.trainAcc, 4, 0)}, test accuracy ${fixed(r.testAcc, 4, 0)}`)
    if (meta.error) out.line(`  failed: ${meta.error.name}: ${meta.error.message}`)
    out.line('    iter     loss  train acc  test acc')
    for (const e of meta.evals) out.line(`${String(e.iter).padStart(8)} ${fixed(e.loss, 4, 8)} ${fixed(e.trainAcc, 4, 10)} ${fixed(e.testAcc, 4, 9)}`)
    return
  }
  const target = stringFlag(flags, 'csv')
  if (target === undefined) throw new UsageError('runs export: --csv FILE is required')
  const path = await checkWritable(target, '--csv')
  const { csv } = await store.csv(id!)
  await atomicWriteFile(path, csv)
  if (json) out.line(JSON.stringify({ event: 'export', format: 'csv', path, bytes: Buffer.byteLength(csv) }))
  else out.line(`Exported ${path}`)
}

function row(r: RunSummary) {
  const n = r.config.network
  return {
    id: r.id, name: r.name, startedAt: r.startedAt, status: r.status, seconds: r.seconds,
    optimizer: optimizerOf(r.config).kind, lr: r.config.lr, batchSize: r.config.batchSize,
    network: [n.inputSize, ...n.hiddenSizes, n.outputSize].join('-'),
    iterations: r.iterations, loss: r.loss, trainAcc: r.trainAcc, testAcc: r.testAcc, hasModel: r.hasModel,
  }
}

function fixed(x: number, digits: number, width: number): string {
  return (Number.isFinite(x) ? x.toFixed(digits) : '—').padStart(width)
}
