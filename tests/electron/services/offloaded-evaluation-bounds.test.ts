import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDefaultDataset } from '../../../electron/services/dataset-loader'
import { OffloadedEvaluation, waitingCapacity } from '../../../electron/services/offloaded-evaluation'
import { TrainingService } from '../../../electron/services/training-service'
import { WorkerPool } from '../../../electron/services/worker-pool'
import type { Dataset } from '../../../shared/data/dataset'
import { MultiLayerNet } from '../../../shared/engine/multi-layer-net'
import type { NetworkConfig } from '../../../shared/engine/network-config'
import { Random } from '../../../shared/engine/random'
import type { TrainConfig } from '../../../shared/engine/train-config'
import type { EvalReport, TrainProgress, TrainResult } from '../../../shared/training-events'

const NET: NetworkConfig = { inputSize: 784, hiddenSizes: [10], outputSize: 10, activation: 'relu', weightInit: { kind: 'he' } }
/** evalSamples 0: every image, so an evaluation lasts long enough for snapshots to pile up behind it. */
const CONFIG: TrainConfig = { network: NET, iters: 100, batchSize: 1, lr: 0.1, seed: 1, evalEvery: 1, evalSamples: 0, sampling: 'replacement' }
const params = new MultiLayerNet(NET, new Random(2)).exportParams()

const poll = <T>(fn: () => T) => expect.poll(fn, { timeout: 30_000, interval: 20 })

let mnist: Dataset
let pool: WorkerPool
beforeAll(async () => {
  mnist = await loadDefaultDataset()
  pool = new WorkerPool({ size: 2, dataset: mnist })
})
afterAll(async () => { await pool.dispose() })

const progress = (iter: number, withSnapshot: boolean): TrainProgress => ({
  iter: iter + 1, totalIters: 100, epoch: 0, elapsedMs: 0, etaMs: 0, itersPerSecond: 0, lossStart: iter, losses: Float64Array.of(1),
  evals: [], state: 'running', ...(withSnapshot ? { snapshots: [{ iter, epoch: 0, loss: 1, params }] } : {}),
})
const result = (iterations: number): TrainResult => ({
  stopped: false, summary: { iterations, loss: 1, trainAcc: Number.NaN, testAcc: Number.NaN, dataset: { name: 'MNIST', fingerprint: '' } },
  params, rngState: [], evals: [], seconds: 0, trainSeconds: 0, evalSeconds: 0,
  optimizerState: { step: iterations, buffers: [] }, samplerState: { shuffleState: [], pos: 0 }, losses: new Float64Array(0),
})

describe('OffloadedEvaluation keeps a bounded number of snapshots waiting', () => {
  it('lets 8 snapshots of a small network wait, and fewer as the network grows (16 MB of parameters in all)', () => {
    expect(waitingCapacity(NET)).toBe(8)
    // 784-1000-10: 795,010 parameters, 6.4 MB a snapshot
    expect(waitingCapacity({ ...NET, hiddenSizes: [1000] })).toBe(2)
    // one waits however large a snapshot is
    expect(waitingCapacity({ ...NET, hiddenSizes: [4000] })).toBe(1)
  })

  it('evaluates every snapshot that could wait, skips the oldest waiting ones past that, and the final weights follow at the end', async () => {
    const e = new OffloadedEvaluation(pool, CONFIG, mnist, () => undefined)
    for (let i = 0; i < 50; i++) {
      e.progress(progress(i, true))
      expect(e.stats().pending).toBeLessThanOrEqual(8)
    }
    // 0 is being evaluated, 42…49 wait, 1…41 were skipped
    expect(e.stats()).toEqual({ pending: 8, running: 1, skipped: 41 })
    const done = await e.finish(result(100), 600)
    expect(done.evals.map((r) => r.iter)).toEqual([0, 42, 43, 44, 45, 46, 47, 48, 49, 99])
    expect(done.summary.testAcc).toBe(done.evals.at(-1)?.testAcc)
    expect(e.stats()).toEqual({ pending: 0, running: 0, skipped: 41 })
  })

  it('evaluates all of a few snapshots that arrive while one runs, in order', async () => {
    const e = new OffloadedEvaluation(pool, CONFIG, mnist, () => undefined)
    for (let i = 0; i < 5; i++) e.progress(progress(i, true))
    expect(e.stats()).toEqual({ pending: 4, running: 1, skipped: 0 })
    const done = await e.finish(result(5), 600)
    expect(done.evals.map((r) => r.iter)).toEqual([0, 1, 2, 3, 4])
    expect(e.stats().skipped).toBe(0)
  })

  it('a stop drops the waiting snapshot and abandons the running evaluation, but the final one runs', async () => {
    const e = new OffloadedEvaluation(pool, CONFIG, mnist, () => undefined)
    for (let i = 0; i < 10; i++) e.progress(progress(i, true))
    e.stop()
    expect(e.stats().pending).toBe(0)
    e.progress(progress(10, true))
    expect(e.stats().pending).toBe(0)
    const done = await e.finish({ ...result(11), stopped: true }, 600)
    expect(done.evals.map((r) => r.iter)).toEqual([10])
    expect(done.summary.trainAcc).toBe(done.evals[0].trainAcc)
  })

  it('a quit evaluates nothing more, not even the final weights', async () => {
    const e = new OffloadedEvaluation(pool, CONFIG, mnist, () => undefined)
    for (let i = 0; i < 10; i++) e.progress(progress(i, true))
    e.quit()
    const done = await e.finish({ ...result(11), stopped: true }, 600)
    expect(done.evals).toEqual([])
    expect(done.summary.testAcc).toBeNaN()
  })
})

describe('a training job evaluating at every iteration on a second worker', () => {
  let service: TrainingService
  beforeAll(() => { service = new TrainingService(new WorkerPool({ size: 2, dataset: mnist })) })
  afterAll(async () => { await service.dispose() })

  it('stops without working through a backlog: only the final evaluation follows the stop', async () => {
    const reported: EvalReport[] = []
    // each evaluation (all 70,000 images) outlasts a 50 ms progress interval, so at most one
    // finished evaluation is still unreported when the stop comes
    const job = service.start({ config: { ...CONFIG, iters: 10_000_000 }, onProgress: (p) => { reported.push(...p.evals) } })
    await poll(() => reported.length).toBeGreaterThanOrEqual(2)
    service.control(job.id, 'stop')
    const before = reported.length
    const r = await job.result
    expect(r.stopped).toBe(true)
    // at most one unreported, one on its way back, then the final weights': never the backlog
    expect(reported.length - before).toBeLessThanOrEqual(3)
    expect(r.evals.at(-1)!.iter).toBe(r.summary.iterations - 1)
    const iters = r.evals.map((e) => e.iter)
    expect(iters).toEqual([...iters].sort((a, b) => a - b))
    // gaps: the worker trained far more iterations than were evaluated
    expect(r.evals.length).toBeLessThan(r.summary.iterations)
    expect(service.status().state).toBe('idle')
  })

  it('quits (dispose) without evaluating anything more, the job settling as stopped', async () => {
    const own = new TrainingService(new WorkerPool({ size: 2, dataset: mnist }))
    const reported: EvalReport[] = []
    const job = own.start({ config: { ...CONFIG, iters: 10_000_000 }, onProgress: (p) => { reported.push(...p.evals) } })
    await poll(() => reported.length).toBeGreaterThanOrEqual(1)
    let settled = false
    const r = job.result.then((x) => { settled = true; return x })
    await own.dispose()
    expect(settled).toBe(true)
    const done = await r
    expect(done.stopped).toBe(true)
    // no final evaluation: the last one reported is of an earlier iteration
    expect(done.evals.at(-1)!.iter).toBeLessThan(done.summary.iterations - 1)
  })
})
