import { availableParallelism } from 'node:os'
import { proxy } from 'comlink'
import { afterEach, describe, expect, it } from 'vitest'
import type { TrainingWorker } from '../../../electron/services/training-worker'
import { DEFAULT_RESOURCE_LIMITS, PoolDisposedError, WorkerCrashError, WorkerPool } from '../../../electron/services/worker-pool'
import type { Dataset } from '../../../shared/data/dataset'
import type { NetworkConfig } from '../../../shared/engine/network-config'
import type { TrainConfig } from '../../../shared/engine/train-config'
import { CONTROL, STOP } from '../../../shared/training-events'

const NET: NetworkConfig = { inputSize: 4, hiddenSizes: [3], outputSize: 2, activation: 'relu', weightInit: { kind: 'he' } }
/** Long enough to still be running whenever a test wants it to; stopped through its control array. */
const ENDLESS: TrainConfig = { network: NET, iters: 10_000_000, batchSize: 4, lr: 0.1, seed: 1, evalEvery: 10_000_000, evalSamples: 0, sampling: 'replacement' }

/** 2×2-pixel images in shared memory: class 1 when the first pixel is bright. */
function tinyDataset(train = 40, test = 10): Dataset {
  const split = (count: number) => {
    const images = new Uint8Array(new SharedArrayBuffer(count * 4))
    const labels = new Uint8Array(new SharedArrayBuffer(count))
    for (let i = 0; i < count; i++) {
      labels[i] = i % 2
      images.set([labels[i] ? 255 : 0, (i * 37) % 256, (i * 91) % 256, 128], i * 4)
    }
    return { images, labels, count }
  }
  return { name: 'tiny', fingerprint: 'tiny', rows: 2, cols: 2, classes: 2, train: split(train), test: split(test) }
}

const newControl = () => new Int32Array(new SharedArrayBuffer(CONTROL.LENGTH * 4))

function stop(control: Int32Array): void {
  Atomics.store(control, CONTROL.STATE, STOP)
  Atomics.notify(control, CONTROL.STATE)
}

/** A training call that runs until stopped; `started` resolves with its worker once it reports progress. */
function endlessJob(pool: WorkerPool, control = newControl()) {
  let onStart!: (w: TrainingWorker) => void
  const started = new Promise<TrainingWorker>((resolve) => { onStart = resolve })
  const result = pool.run((w) => w.call((api) => api.train({ config: ENDLESS }, control, proxy(() => onStart(w)))))
  result.catch(() => undefined)
  return { started, result, control }
}

function gate() {
  let open!: () => void
  const opened = new Promise<void>((resolve) => { open = resolve })
  return { opened, open }
}

/** Workers take a while to start on a busy machine; the waits are generous, never timed assertions. */
const poll = <T>(fn: () => T) => expect.poll(fn, { timeout: 30_000 })

let pools: WorkerPool[] = []
function newPool(...args: ConstructorParameters<typeof WorkerPool>): WorkerPool {
  const pool = new WorkerPool(...args)
  pools.push(pool)
  return pool
}

afterEach(async () => {
  await Promise.all(pools.map((p) => p.dispose()))
  pools = []
})

describe('WorkerPool', () => {
  it('defaults to one worker per core and caps each worker heap', async () => {
    const pool = newPool({ dataset: tinyDataset() })
    expect(pool.size).toBe(availableParallelism())
    const limits = await pool.run(async (w) => w.worker.resourceLimits)
    expect(limits?.maxOldGenerationSizeMb).toBe(DEFAULT_RESOURCE_LIMITS.maxOldGenerationSizeMb)
    expect(pool.stats()).toMatchObject({ live: 1, busy: 0, idle: 1, queued: 0 })
  })

  it('shares the dataset memory with its workers instead of copying it', async () => {
    const data = tinyDataset()
    const pool = newPool({ size: 1, dataset: data })
    const params = (await pool.run((w) => w.call((api) => api.train({ config: { ...ENDLESS, iters: 5 } }, newControl(), proxy(() => undefined))))).params
    const labelOf0 = async () => (await pool.run((w) => w.call((api) => api.predict({ network: NET, params, indices: [0] }))))[0].label
    expect(await labelOf0()).toBe(0)
    // written on the main thread after the worker received the dataset, read there without a resend
    data.test.labels[0] = 1
    expect(await labelOf0()).toBe(1)
  })

  it('queues jobs beyond its size and runs them in order on the freed worker', async () => {
    const pool = newPool({ size: 1, dataset: tinyDataset() })
    const first = gate()
    const order: string[] = []
    const a = pool.run(async (w) => { order.push('a'); await first.opened; return w })
    const b = pool.run(async (w) => { order.push('b'); return w })
    await poll(() => order).toEqual(['a'])
    expect(pool.stats()).toMatchObject({ live: 1, busy: 1, queued: 1 })
    first.open()
    const [wa, wb] = await Promise.all([a, b])
    expect(order).toEqual(['a', 'b'])
    expect(wb).toBe(wa)
  })

  it('runs jobs on separate workers up to its size', async () => {
    const pool = newPool({ size: 2, dataset: tinyDataset() })
    const both = gate()
    const a = pool.run(async (w) => { await both.opened; return w })
    const b = pool.run(async (w) => { await both.opened; return w })
    await poll(() => pool.stats()).toMatchObject({ live: 2, busy: 2, queued: 0 })
    both.open()
    const [wa, wb] = await Promise.all([a, b])
    expect(wb).not.toBe(wa)
  })

  it('gives the next job the worker used last, whose code and helper thread are warm', async () => {
    const pool = newPool({ size: 2, dataset: tinyDataset() })
    const both = gate()
    const a = pool.run(async (w) => { await both.opened; return w })
    const b = pool.run(async (w) => w)
    const wb = await b
    both.open()
    const wa = await a
    expect(wa).not.toBe(wb)
    // a finished last: the jobs that follow, one at a time, all go to it
    for (let i = 0; i < 3; i++) expect(await pool.run(async (w) => w)).toBe(wa)
  })

  it('gives a job of a kind the worker that ran the last job of that kind, where it is idle', async () => {
    const pool = newPool({ size: 2, dataset: tinyDataset() })
    const other = gate()
    const trained = await pool.run(async (w) => w, 'training')
    // an evaluation on the other worker ends last, so it is the worker used last…
    const busy = pool.run(async (w) => w)
    const beside = pool.run(async (w) => { await other.opened; return w })
    expect(await busy).toBe(trained)
    other.open()
    const evaluator = await beside
    expect(evaluator).not.toBe(trained)
    expect(await pool.run(async (w) => w)).toBe(evaluator)
    // …but the next training job goes back to the worker that trained
    expect(await pool.run(async (w) => w, 'training')).toBe(trained)
  })

  it('fails only the job whose worker dies, retires the worker and serves the next job with a new one', async () => {
    const pool = newPool({ size: 2, dataset: tinyDataset() })
    const victim = endlessJob(pool)
    const bystander = endlessJob(pool)
    const dying = await victim.started
    await bystander.started
    expect(pool.busyWorkers()).toContain(dying)

    await dying.worker.terminate()
    const error = await victim.result.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WorkerCrashError)
    expect(error).toMatchObject({ name: 'WorkerCrashError', message: expect.stringContaining('exited unexpectedly') })
    await poll(() => pool.stats()).toMatchObject({ live: 1, busy: 1 })

    const next = await pool.run(async (w) => ({ w, info: await w.call((api) => api.setDataset(tinyDataset(8, 4))) }))
    expect(next.w).not.toBe(dying)
    expect(next.info).toEqual({ name: 'tiny', train: 8, test: 4 })
    stop(bystander.control)
    expect((await bystander.result).stopped).toBe(true)
  })

  it('gives a queued job a fresh worker when the busy one crashes', async () => {
    const pool = newPool({ size: 1, dataset: tinyDataset() })
    const params = (await pool.run((w) => w.call((api) => api.train({ config: { ...ENDLESS, iters: 5 } }, newControl(), proxy(() => undefined))))).params
    const victim = endlessJob(pool)
    const dying = await victim.started
    const queued = pool.run(async (w) => ({ w, p: await w.call((api) => api.predict({ network: NET, params, indices: [3] })) }))
    await poll(() => pool.stats().queued).toBe(1)
    await dying.worker.terminate()
    await expect(victim.result).rejects.toBeInstanceOf(WorkerCrashError)
    const { w, p } = await queued
    expect(w).not.toBe(dying)
    // the new worker received the dataset before the job ran
    expect(p[0].label).toBe(1)
  })

  it('rejects waiting jobs when disposed, fails running ones, and refuses new ones', async () => {
    const pool = newPool({ size: 1, dataset: tinyDataset() })
    const running = endlessJob(pool)
    await running.started
    const waiting = pool.run(async () => 'never').catch((e: unknown) => e)
    await pool.dispose()
    expect(await waiting).toBeInstanceOf(PoolDisposedError)
    await expect(running.result).rejects.toMatchObject({ name: 'WorkerCrashError' })
    await expect(pool.run(async () => 1)).rejects.toMatchObject({ name: 'PoolDisposedError' })
  })
})
