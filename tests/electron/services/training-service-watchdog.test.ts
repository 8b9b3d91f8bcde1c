import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDefaultDataset } from '../../../electron/services/dataset-loader'
import { TrainingService } from '../../../electron/services/training-service'
import { WorkerPool } from '../../../electron/services/worker-pool'
import { BOOK_TRAINING, type TrainConfig } from '../../../shared/engine/train-config'
import type { TrainProgress } from '../../../shared/training-events'

const CONFIG: TrainConfig = { ...BOOK_TRAINING, iters: 300, evalEvery: 100, evalSamples: 200 }

let service: TrainingService
beforeAll(async () => {
  service = new TrainingService(new WorkerPool({ size: 2, dataset: await loadDefaultDataset() }))
})
afterAll(async () => { await service.dispose() })

describe('the watchdog in a training worker', () => {
  it('pauses the book\'s run at lr 10, never stops it, and says what, where, the value and a hint', async () => {
    const notices: TrainProgress[] = []
    let paused!: () => void
    const pausedNow = new Promise<void>((resolve) => { paused = resolve })
    const job = service.start({ config: { ...CONFIG, lr: 10 }, onProgress: (p) => { if (p.watchdog) { notices.push(p); paused() } } })
    await pausedNow
    expect(service.status().state).toBe('paused')
    const alarm = notices[0].watchdog!
    expect(notices[0].state).toBe('paused')
    expect(alarm.kind).toBe('exploding-gradient')
    expect(alarm.layer).toMatch(/^W\d$/)
    expect(alarm.value).toBeGreaterThan(3)
    expect(alarm.hint).toBe('learning rate 10 is too high for SGD here; try 0.1')
    expect(alarm.message).toMatch(new RegExp(`^watchdog paused training at iteration \\d+: the step for ${alarm.layer} would be `))
    // the held update was not applied: the run waits, and a stop ends it with finite weights
    service.control(job.id, 'stop')
    const result = await job.result
    expect(result.stopped).toBe(true)
    expect(result.watchdog).toEqual(alarm)
    expect(result.summary.iterations).toBe(alarm.iter)
    for (const p of result.params) expect(p.data.every(Number.isFinite), p.name).toBe(true)
  })

  it('stays quiet on the book\'s lr 0.1, and is off with watchdog: false', async () => {
    const seen: TrainProgress[] = []
    const quiet = await service.start({ config: CONFIG, onProgress: (p) => { if (p.watchdog) seen.push(p) } }).result
    expect(seen).toEqual([])
    expect(quiet.watchdog).toBeUndefined()
    const wild = await service.start({ config: { ...CONFIG, lr: 10 }, watchdog: false }).result
    expect(wild.watchdog).toBeUndefined()
    expect(wild.summary.iterations).toBe(300)
  })
})
