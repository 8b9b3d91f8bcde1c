import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDefaultDataset } from '../../../electron/services/dataset-loader'
import { TrainingService } from '../../../electron/services/training-service'
import { WorkerPool } from '../../../electron/services/worker-pool'
import type { Dataset } from '../../../shared/data/dataset'
import type { TrainConfig } from '../../../shared/engine/train-config'
import type { EvalReport, TrainProgress } from '../../../shared/training-events'

const CONFIG: TrainConfig = {
  network: { inputSize: 784, hiddenSizes: [30], outputSize: 10, activation: 'relu', weightInit: { kind: 'std', std: 0.01 } },
  iters: 250, batchSize: 50, lr: 0.1, seed: 9, evalEvery: 100, evalSamples: 1500, sampling: 'replacement',
}

let mnist: Dataset
let inline: TrainingService
let offloaded: TrainingService
beforeAll(async () => {
  mnist = await loadDefaultDataset()
  inline = new TrainingService(new WorkerPool({ size: 1, dataset: mnist }))
  offloaded = new TrainingService(new WorkerPool({ size: 2, dataset: mnist }))
})
afterAll(async () => { await Promise.all([inline.dispose(), offloaded.dispose()]) })

async function run(service: TrainingService) {
  const messages: TrainProgress[] = []
  const result = await service.start({ config: CONFIG, onProgress: (p) => messages.push(p) }).result
  return { result, messages, streamed: messages.flatMap((m) => m.evals) }
}

describe('evaluation on a second worker', () => {
  it('reports the evaluations an inline run reports, while the stream stays contiguous', async () => {
    const a = await run(inline)
    const b = await run(offloaded)
    const key = (e: EvalReport) => [e.iter, e.epoch, e.loss, e.trainAcc, e.testAcc]
    // A snapshot that waited while a newer one arrived is skipped, so there may be gaps; every
    // evaluation reported is the inline one of the same weights, and the final one is always there.
    const inlineAt = new Map(a.result.evals.map((e) => [e.iter, key(e)]))
    for (const e of b.result.evals) expect(key(e)).toEqual(inlineAt.get(e.iter))
    expect(b.result.evals.at(-1)?.iter).toBe(249)
    expect(a.result.evals.map((e) => e.iter)).toEqual([0, 100, 200, 249])
    expect(b.streamed.map(key)).toEqual(b.result.evals.map(key))
    expect(b.result.summary).toEqual(a.result.summary)
    expect(b.messages.some((m) => 'snapshots' in m)).toBe(false)
    // every loss arrives once, in order, even with eval-only messages in between
    let next = 0
    for (const m of b.messages) {
      expect(m.lossStart).toBe(next)
      next += m.losses.length
    }
    expect(next).toBe(CONFIG.iters)
  })
})
