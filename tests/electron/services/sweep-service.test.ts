import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDefaultDataset } from '../../../electron/services/dataset-loader'
import { SweepBusyError, SweepService } from '../../../electron/services/sweep-service'
import { WorkerPool } from '../../../electron/services/worker-pool'
import { BOOK_TRAINING, type TrainConfig } from '../../../shared/engine/train-config'
import type { SweepStatus, SweepTrial } from '../../../shared/sweep/sweep-spec'
import { sweepTrials } from '../../../shared/sweep/sweep-trials'

const BASE: TrainConfig = { ...BOOK_TRAINING, network: { ...BOOK_TRAINING.network, hiddenSizes: [16] }, evalSamples: 300, batchSize: 20 }

let pool: WorkerPool
let service: SweepService

beforeAll(async () => {
  pool = new WorkerPool({ size: 2, dataset: await loadDefaultDataset() })
  service = new SweepService(pool)
})

afterAll(async () => {
  await service.dispose()
  await pool.dispose()
})

function collect() {
  const events: SweepTrial[] = []
  let finished: SweepStatus | null = null
  return { events, get finished() { return finished }, listener: { trial: (_: string, t: SweepTrial) => { events.push(t) }, finished: (_: string, s: SweepStatus) => { finished = s } } }
}

describe('SweepService (real workers)', () => {
  it('runs every trial, at most pool-size at once, each with its own results', async () => {
    const configs = sweepTrials({ mode: 'grid', trials: 4, iters: 120, seed: 1, base: BASE, space: { lr: [0.01, 0.1], optimizer: ['sgd', 'adam'] } })
    const c = collect()
    const { done } = service.start('grid', configs, c.listener)
    expect(() => service.start('grid', configs, c.listener)).toThrow(SweepBusyError)
    const status = await done
    expect(status.state).toBe('done')
    expect(status.trials.map((t) => t.state)).toEqual(['finished', 'finished', 'finished', 'finished'])
    for (const t of status.trials) {
      expect(t.iter).toBe(120)
      expect(t.testAcc).toBeGreaterThan(0)
      expect(t.curve).toHaveLength(120)
      expect(t.curve.at(-1)).toBe(t.loss)
    }
    expect(c.finished?.state).toBe('done')
    // never more trials running at once than workers: replay the state changes in order
    let running = 0, most = 0
    const state = new Map<number, string>()
    for (const e of c.events) {
      const before = state.get(e.index)
      if (e.state === 'running' && before !== 'running') running++
      if (e.state !== 'running' && before === 'running') running--
      state.set(e.index, e.state)
      most = Math.max(most, running)
    }
    expect(most).toBe(2)
    expect(service.status()).toMatchObject({ state: 'done', sweepId: status.sweepId })
  })

  it('cancel ends every running trial promptly and never starts the queued ones', async () => {
    const configs = sweepTrials({ mode: 'random', trials: 5, iters: 10_000_000, seed: 3, base: { ...BASE, evalEvery: 100_000 }, space: { lr: [0.01, 0.1] } })
    const c = collect()
    const { done } = service.start('random', configs, c.listener)
    await expect.poll(() => c.events.filter((e) => e.state === 'running' && e.iter > 0).length, { timeout: 60_000, interval: 20 }).toBeGreaterThan(1)
    const cancelling = service.cancel()
    expect(cancelling.state).toBe('cancelling')
    const t0 = performance.now()
    const status = await done
    // generous on a loaded 2-core machine; a trial that ignored QUIT would run for hours
    expect(performance.now() - t0).toBeLessThan(5000)
    expect(status.state).toBe('cancelled')
    expect(status.trials.map((t) => t.state)).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled', 'cancelled'])
    expect(status.trials.filter((t) => t.iter > 0)).toHaveLength(2)
    expect(status.trials.slice(2).every((t) => t.iter === 0)).toBe(true)
    expect(service.running).toBe(false)
  })
})
