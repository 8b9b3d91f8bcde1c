import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDefaultDataset } from '../../../electron/services/dataset-loader'
import { LOSS_CHUNK, lossChunkFile } from '../../../electron/services/run-recorder'
import { RunBusyError, RunDamagedError, RunNotFoundError, RunStore } from '../../../electron/services/run-store'
import { TrainingService } from '../../../electron/services/training-service'
import { WorkerPool } from '../../../electron/services/worker-pool'
import type { TrainConfig } from '../../../shared/engine/train-config'
import { modelFromRun } from '../../../shared/model/model-from-run'
import type { EvalReport, TrainProgress, TrainResult } from '../../../shared/training-events'

const CONFIG: TrainConfig = {
  network: { inputSize: 784, hiddenSizes: [10], outputSize: 10, activation: 'relu', weightInit: { kind: 'he' }, batchnorm: false },
  iters: 60, batchSize: 20, lr: 0.1, seed: 5, evalEvery: 20, evalSamples: 200, sampling: 'replacement',
  optimizer: { kind: 'adam' }, weightDecay: 0, dropout: 0,
}
const DATASET = { name: 'MNIST', fingerprint: 'abc123' }

/** A progress message as the worker sends it: `losses` since the last one, and evaluations. */
function progress(iter: number, losses: number[], evals: EvalReport[] = []): TrainProgress {
  return { iter, totalIters: 1000, epoch: 0, elapsedMs: 0, etaMs: Number.NaN, itersPerSecond: 0, lossStart: iter - losses.length, losses: Float64Array.from(losses), evals, state: 'running' }
}

let root: string
let result: TrainResult

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'run-store-'))
  const service = new TrainingService(new WorkerPool({ size: 1, dataset: await loadDefaultDataset() }))
  try {
    result = await service.start({ config: CONFIG }).result
  } finally {
    await service.dispose()
  }
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('RunStore', () => {
  it('records a finished run: config, dataset, every loss, evaluations, summary and model', async () => {
    const store = new RunStore(join(root, 'a'))
    const rec = await store.begin({ config: CONFIG, startIter: 0, dataset: DATASET }, new Date('2024-01-31T14:25:01Z'))
    expect(rec.id).toMatch(/^20240131-142501-[0-9a-f]{6}$/)
    expect((await store.list()).runs.map((r) => [r.id, r.status])).toEqual([[rec.id, 'running']])
    await rec.finish(result, modelFromRun(CONFIG, result))
    const [run] = (await store.list()).runs
    expect(run).toMatchObject({ status: 'finished', iterations: 60, config: CONFIG, dataset: DATASET, hasModel: true })
    expect(run.testAcc).toBe(result.summary.testAcc)
    const meta = await store.meta(rec.id)
    expect(meta.evals).toEqual(result.evals)
    expect(await store.losses(meta)).toEqual(result.losses)
    const model = await store.model(rec.id)
    expect(model.params.map((p) => p.name)).toEqual(['W1', 'b1', 'W2', 'b2'])
    expect(model.params[0].data).toEqual(result.params[0].data)
  })

  it('exports CSV with one row per iteration and the accuracies where evaluated', async () => {
    const store = new RunStore(join(root, 'csv'))
    const rec = await store.begin({ config: CONFIG, startIter: 0, dataset: DATASET })
    await rec.finish(result, modelFromRun(CONFIG, result))
    const { csv, fileName } = await store.csv(rec.id)
    expect(fileName).toBe(`run-${rec.id}.csv`)
    const rows = csv.trim().split('\n')
    expect(rows[0]).toBe('iteration,loss,train_acc,test_acc')
    expect(rows).toHaveLength(61)
    expect(Number(rows[60].split(',')[1])).toBe(result.losses[59])
    const evaluated = rows.slice(1).filter((r) => !r.endsWith(',,'))
    expect(evaluated.map((r) => Number(r.split(',')[0]))).toEqual(result.evals.map((e) => e.iter + 1))
  })

  it('keeps the last flushed history of a run whose process died, listed as interrupted', async () => {
    const dir = join(root, 'crash')
    const store = new RunStore(dir)
    const rec = await store.begin({ config: CONFIG, startIter: 0, dataset: DATASET })
    const losses = Array.from({ length: LOSS_CHUNK + 10 }, (_, i) => 1 / (i + 1))
    rec.progress(progress(100, losses.slice(0, 100), [{ iter: 0, epoch: 0, loss: 1, trainAcc: 0.1, testAcc: 0.2 }]))
    rec.progress(progress(LOSS_CHUNK + 10, losses.slice(100), [{ iter: LOSS_CHUNK, epoch: 1, loss: 0.5, trainAcc: 0.6, testAcc: 0.7 }]))
    await rec.start()
    // a new process: no recorder holds the run
    const after = new RunStore(dir)
    const [run] = (await after.list()).runs
    expect(run).toMatchObject({ status: 'interrupted', iterations: LOSS_CHUNK + 10, trainAcc: 0.6, testAcc: 0.7, hasModel: false })
    expect(Array.from(await after.losses(await after.meta(run.id)))).toEqual(losses)
    expect((await readdir(join(dir, run.id))).sort()).toEqual(['loss-000000.f64', 'loss-000001.f64', 'run.json'])
    const h = await after.history(run.id, 1000)
    expect(h.losses).toHaveLength(1000)
    expect(h.lossIters[999]).toBe(LOSS_CHUNK + 10)
    expect(h.losses[999]).toBe(losses.at(-1))
    await expect(after.model(run.id)).rejects.toThrow(RunNotFoundError)
  })

  it('lists damaged folders apart and keeps every other run', async () => {
    const dir = join(root, 'damage')
    const store = new RunStore(dir)
    const ids: string[] = []
    for (let i = 0; i < 5; i++) {
      const rec = await store.begin({ config: { ...CONFIG, lr: 0.1 * (i + 1) }, startIter: 0, dataset: DATASET }, new Date(Date.UTC(2024, 0, 1, 0, 0, i)))
      await rec.finish(result, modelFromRun(CONFIG, result))
      ids.push(rec.id)
    }
    await writeFile(join(dir, ids[0], 'run.json'), '{"format": "backprop-studio-run", "trunc')
    const meta = JSON.parse(await readFile(join(dir, ids[1], 'run.json'), 'utf8')) as Record<string, unknown>
    await writeFile(join(dir, ids[1], 'run.json'), JSON.stringify({ ...meta, lossCount: -3 }))
    await rm(join(dir, ids[2], 'run.json'))
    await truncate(join(dir, ids[3], lossChunkFile(0)), 16)
    const listing = await store.list()
    expect(listing.runs.map((r) => r.id)).toEqual([ids[4], ids[3]])
    expect(listing.damaged.map((d) => d.id).sort()).toEqual(ids.slice(0, 3).sort())
    const problems = Object.fromEntries(listing.damaged.map((d) => [d.id, d.problem]))
    expect(problems[ids[0]]).toBe(`run ${ids[0]}: run.json is not valid JSON`)
    expect(problems[ids[1]]).toMatch(/^run \S+: run\.json: lossCount: must be a whole number from 0 to \d+$/)
    expect(problems[ids[2]]).toBe(`run ${ids[2]}: run.json is missing`)
    await expect(store.history(ids[3])).rejects.toThrow(RunDamagedError)
    await expect(store.history(ids[3])).rejects.toThrow(/loss-000000\.f64: 16 bytes, expected at least 480/)
    // a damaged run can still be deleted
    await store.remove(ids[0])
    expect((await store.list()).damaged.map((d) => d.id).sort()).toEqual(ids.slice(1, 3).sort())
  })

  it('renames, deletes, and refuses to delete a run being written or an unknown id', async () => {
    const store = new RunStore(join(root, 'edit'))
    const rec = await store.begin({ config: CONFIG, startIter: 0, dataset: DATASET })
    await expect(store.remove(rec.id)).rejects.toThrow(RunBusyError)
    expect((await store.rename(rec.id, 'first try')).name).toBe('first try')
    await rec.finish(result, modelFromRun(CONFIG, result))
    expect((await store.summary(rec.id)).name).toBe('first try')
    expect((await store.rename(rec.id, 'adam, lr 0.1')).name).toBe('adam, lr 0.1')
    await store.remove(rec.id)
    expect((await store.list()).runs).toEqual([])
    await expect(store.meta(rec.id)).rejects.toThrow(RunNotFoundError)
    await expect(store.meta('../../etc')).rejects.toThrow(/a run id looks like/)
  })

  it('records a failed run with its error and no model', async () => {
    const store = new RunStore(join(root, 'fail'))
    const rec = await store.begin({ config: CONFIG, startIter: 0, dataset: DATASET })
    await rec.fail({ name: 'WorkerCrashError', message: 'the worker ran out of memory' })
    const [run] = (await store.list()).runs
    expect(run).toMatchObject({ status: 'failed', hasModel: false })
    expect((await store.meta(run.id)).error).toEqual({ name: 'WorkerCrashError', message: 'the worker ran out of memory' })
  })
})
