import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDefaultDataset } from '../../../electron/services/dataset-loader'
import { loadModel, saveModel } from '../../../electron/services/model-store'
import { TrainingBusyError, TrainingControlError, TrainingService } from '../../../electron/services/training-service'
import { WorkerCrashError, WorkerPool } from '../../../electron/services/worker-pool'
import type { Dataset } from '../../../shared/data/dataset'
import type { NamedParam, NetworkConfig } from '../../../shared/engine/network-config'
import type { TrainConfig } from '../../../shared/engine/train-config'
import { modelFromRun } from '../../../shared/model/model-from-run'
import type { TrainProgress } from '../../../shared/training-events'

const NET: NetworkConfig = { inputSize: 784, hiddenSizes: [20], outputSize: 10, activation: 'relu', weightInit: { kind: 'he' } }
const CONFIG: TrainConfig = { network: NET, iters: 300, batchSize: 20, lr: 0.1, seed: 3, evalEvery: 200, evalSamples: 500, sampling: 'replacement' }
/** Runs until stopped. */
const LONG: TrainConfig = { ...CONFIG, iters: 10_000_000 }

/** Workers take a while to start on a busy machine; the waits are generous, never timed assertions. */
const poll = <T>(fn: () => T) => expect.poll(fn, { timeout: 30_000, interval: 20 })
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

let mnist: Dataset
let pool: WorkerPool
let service: TrainingService
let dir: string

beforeAll(async () => {
  mnist = await loadDefaultDataset()
  pool = new WorkerPool({ size: 2, dataset: mnist })
  service = new TrainingService(pool)
  dir = await mkdtemp(join(tmpdir(), 'training-service-'))
})

afterAll(async () => {
  await service.dispose()
  await rm(dir, { recursive: true, force: true })
})

/** Collects a job's progress and checks that the losses form one unbroken sequence. */
function recorder() {
  const messages: TrainProgress[] = []
  return {
    messages,
    onProgress: (p: TrainProgress) => { messages.push(p) },
    get iter() { return messages.at(-1)?.iter ?? 0 },
    get losses() { return messages.flatMap((p) => Array.from(p.losses)) },
    expectContiguous() {
      let next = 0
      for (const p of messages) {
        expect(p.lossStart).toBe(next)
        next += p.losses.length
        expect(p.iter).toBe(next)
      }
      return next
    },
  }
}

const bytes = (params: NamedParam[]) => params.map((p) => Buffer.from(p.data.buffer, p.data.byteOffset, p.data.byteLength))

describe('TrainingService', () => {
  it('streams every loss, stops mid-run keeping the model, and saves it bit for bit', async () => {
    const rec = recorder()
    const job = service.start({ config: LONG, onProgress: rec.onProgress })
    expect(service.status()).toMatchObject({ jobId: job.id, state: 'running', config: LONG })
    await poll(() => rec.iter).toBeGreaterThan(100)

    expect(service.control(job.id, 'stop').state).toBe('stopping')
    const result = await job.result
    expect(result.stopped).toBe(true)
    expect(service.status()).toEqual({ jobId: null, state: 'idle', config: null })

    const total = rec.expectContiguous()
    expect(total).toBe(result.summary.iterations)
    expect(total).toBeLessThan(LONG.iters)
    expect(rec.losses.at(-1)).toBe(result.summary.loss)
    expect(rec.messages.at(-1)?.state).toBe('paused')

    const path = join(dir, 'partial.json')
    await saveModel(path, modelFromRun(LONG, result))
    const { model: back } = await loadModel(path)
    bytes(back.params).forEach((b, i) => expect(b.equals(bytes(result.params)[i])).toBe(true))
    expect(back.rngState).toEqual(result.rngState)
    expect(back.summary).toEqual(result.summary)
  })

  it('pauses without advancing, steps exactly one iteration per step, and resumes', async () => {
    const rec = recorder()
    const job = service.start({ config: LONG, onProgress: rec.onProgress })
    await poll(() => rec.iter).toBeGreaterThan(0)
    expect(() => service.control(job.id, 'step')).toThrow(TrainingControlError)

    expect(service.control(job.id, 'pause').state).toBe('paused')
    await poll(() => rec.messages.at(-1)?.state).toBe('paused')
    const at = rec.iter
    await sleep(300)
    expect(rec.iter).toBe(at)
    expect(rec.losses).toHaveLength(at)

    service.control(job.id, 'step')
    await poll(() => rec.iter).toBe(at + 1)
    service.control(job.id, 'step')
    service.control(job.id, 'step')
    await poll(() => rec.iter).toBe(at + 3)
    await sleep(300)
    expect(rec.iter).toBe(at + 3)
    expect(service.status().state).toBe('paused')

    expect(service.control(job.id, 'resume').state).not.toBe('paused')
    await poll(() => rec.iter).toBeGreaterThan(at + 50)
    service.control(job.id, 'stop')
    const result = await job.result
    expect(rec.expectContiguous()).toBe(result.summary.iterations)
  })

  it('stops a paused job at once', async () => {
    const rec = recorder()
    const job = service.start({ config: LONG, onProgress: rec.onProgress })
    await poll(() => rec.iter).toBeGreaterThan(0)
    service.control(job.id, 'pause')
    await poll(() => rec.messages.at(-1)?.state).toBe('paused')
    const at = rec.iter
    service.control(job.id, 'stop')
    const result = await job.result
    expect(result).toMatchObject({ stopped: true, summary: { iterations: at } })
  })

  it('refuses a second training job while one runs, and ignores controls for ended jobs', async () => {
    const rec = recorder()
    const job = service.start({ config: LONG, onProgress: rec.onProgress })
    expect(() => service.start({ config: CONFIG })).toThrow(TrainingBusyError)
    expect(() => service.start({ config: CONFIG })).toThrow(new RegExp(`${job.id} is still running`))
    expect(() => service.control('train-999', 'pause')).toThrow(TrainingControlError)
    service.control(job.id, 'stop')
    await job.result
    expect(service.control(job.id, 'pause')).toEqual({ jobId: null, state: 'idle', config: null })
  })

  it('runs a gradient check on another worker while a training job runs', async () => {
    const rec = recorder()
    const job = service.start({ config: LONG, onProgress: rec.onProgress })
    await poll(() => rec.iter).toBeGreaterThan(0)
    const reports: number[] = []
    const check = await service.gradientCheck({ network: { ...NET, hiddenSizes: [10] }, seed: 7, samples: 3 }, (done) => { reports.push(done) })
    expect(check.params.map((p) => p.name)).toEqual(['W1', 'b1', 'W2', 'b2'])
    for (const p of check.params) expect(p.meanAbs).toBeLessThan(1e-6)
    expect(reports.length).toBeGreaterThan(0)
    expect(service.status()).toMatchObject({ jobId: job.id })
    const before = rec.iter
    await poll(() => rec.iter).toBeGreaterThan(before)
    service.control(job.id, 'stop')
    expect((await job.result).stopped).toBe(true)
  })

  it('fails the job with WorkerCrashError when its worker dies, and the next job succeeds', async () => {
    const rec = recorder()
    const job = service.start({ config: LONG, onProgress: rec.onProgress })
    await poll(() => rec.iter).toBeGreaterThan(0)
    const [busy] = pool.busyWorkers()
    await busy.worker.terminate()
    const error = await job.result.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WorkerCrashError)
    expect((error as Error).message).toMatch(/training worker exited unexpectedly/)
    expect(service.status().state).toBe('idle')

    const next = service.start({ config: { ...CONFIG, iters: 50 } })
    const result = await next.result
    expect(result).toMatchObject({ stopped: false, summary: { iterations: 50 } })
  })

  it('continues a run from its params, PRNG state and iteration count', async () => {
    const first = await service.start({ config: { ...CONFIG, iters: 150 } }).result
    const start = { params: first.params, rngState: first.rngState, iterations: first.summary.iterations }
    const rec = recorder()
    const rest = await service.start({ config: { ...CONFIG, iters: 50 }, start, onProgress: rec.onProgress }).result
    expect(rest.summary.iterations).toBe(200)
    expect(rec.expectContiguous()).toBe(50)
    // trained weights: the first loss is far below a fresh network's ln 10
    expect(rec.losses[0]).toBeLessThan(1.5)
    expect(rec.messages.at(-1)?.epoch).toBe(200 / Math.floor(60000 / CONFIG.batchSize))
    // the PRNG state overrides the seed: the same start gives the same run whatever the seed
    const again = await service.start({ config: { ...CONFIG, iters: 50, seed: 99 }, start }).result
    bytes(again.params).forEach((b, i) => expect(b.equals(bytes(rest.params)[i])).toBe(true))
  })

  it('evaluates and predicts with a trained model', async () => {
    const result = await service.start({ config: CONFIG }).result
    const acc = await service.evaluate({ network: NET, params: result.params, evalSamples: CONFIG.evalSamples })
    expect(acc).toEqual({ trainAcc: result.summary.trainAcc, testAcc: result.summary.testAcc })
    const predictions = await service.predict({ network: NET, params: result.params, indices: [5, 6] })
    expect(predictions.map((p) => p.label)).toEqual([mnist.test.labels[5], mnist.test.labels[6]])
  })
})
