import { MessageChannel } from 'node:worker_threads'
import { expose, proxy, releaseProxy, wrap, type Remote } from 'comlink'
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { loadDefaultDataset } from '../../../electron/services/dataset-loader'
import { createTrainingApi, type TrainingApi } from '../../../electron/workers/training-api'
import type { Dataset } from '../../../shared/data/dataset'
import type { NetworkConfig } from '../../../shared/engine/network-config'
import type { TrainConfig } from '../../../shared/engine/train-config'
import { CONTROL, STOP, type TrainProgress } from '../../../shared/training-events'

const NET: NetworkConfig = { inputSize: 784, hiddenSizes: [20], outputSize: 10, activation: 'relu', weightInit: { kind: 'he' } }
const CONFIG: TrainConfig = { network: NET, iters: 200, batchSize: 20, lr: 0.1, seed: 5, evalEvery: 100, evalSamples: 500, sampling: 'replacement' }

let mnist: Dataset
beforeAll(async () => { mnist = await loadDefaultDataset() })

/** The API exposed on one port of a MessageChannel and wrapped on the other: Comlink without a thread. */
function connect(): { api: Remote<TrainingApi>; close: () => void } {
  const { port1, port2 } = new MessageChannel()
  expose(createTrainingApi(), nodeEndpoint(port1))
  const api = wrap<TrainingApi>(nodeEndpoint(port2))
  return {
    api,
    close: () => {
      api[releaseProxy]()
      port1.close()
      port2.close()
    },
  }
}

const newControl = () => new Int32Array(new SharedArrayBuffer(CONTROL.LENGTH * 4))

let open: { close: () => void }[] = []
afterEach(() => {
  for (const c of open) c.close()
  open = []
})

async function connected(withData = true): Promise<Remote<TrainingApi>> {
  const c = connect()
  open.push(c)
  if (withData) await c.api.setDataset(mnist)
  return c.api
}

describe('createTrainingApi over a MessageChannel', () => {
  it('trains and streams every loss through a proxied callback, the last message before the result', async () => {
    const api = await connected()
    const progress: TrainProgress[] = []
    const result = await api.train({ config: CONFIG }, newControl(), proxy((p: TrainProgress) => { progress.push(p) }))

    expect(result.stopped).toBe(false)
    expect(result.summary.iterations).toBe(200)
    let next = 0
    for (const p of progress) {
      expect(p.lossStart).toBe(next)
      next += p.losses.length
      expect(p.iter).toBe(next)
    }
    expect(next).toBe(200)
    const losses = progress.flatMap((p) => Array.from(p.losses))
    expect(losses.every(Number.isFinite)).toBe(true)
    expect(losses.at(-1)).toBe(result.summary.loss)
    expect(progress.flatMap((p) => p.evals).map((e) => e.iter)).toEqual([0, 100, 199])
    expect(result.evals.map((e) => e.iter)).toEqual([0, 100, 199])
    expect(result.params.map((p) => p.name)).toEqual(['W1', 'b1', 'W2', 'b2'])
    expect(result.params[0].data).toBeInstanceOf(Float64Array)
    expect(result.params[0].data.length).toBe(784 * 20)
  })

  it('keeps progress near 20 messages a second even when it evaluates after every iteration', async () => {
    const api = await connected()
    const progress: TrainProgress[] = []
    const config = { ...CONFIG, iters: 400, evalEvery: 1, evalSamples: 20 }
    const result = await api.train({ config }, newControl(), proxy((p: TrainProgress) => { progress.push(p) }))
    expect(progress.flatMap((p) => p.evals)).toHaveLength(400)
    // one message per 50 ms, plus announcements of evaluations that take that long, plus the last
    expect(progress.length).toBeLessThanOrEqual((2 * result.seconds * 1000) / 50 + 3)
    expect(progress.flatMap((p) => Array.from(p.losses))).toHaveLength(400)
  })

  it('stops before the first step when the control array says STOP, and still returns the model', async () => {
    const api = await connected()
    const control = newControl()
    Atomics.store(control, CONTROL.STATE, STOP)
    const result = await api.train({ config: { ...CONFIG, iters: 100_000 } }, control, proxy(() => undefined))
    expect(result.stopped).toBe(true)
    expect(result.summary.iterations).toBe(0)
    expect(result.params).toHaveLength(4)
  })

  it('evaluates a trained model to the accuracies its run reported', async () => {
    const api = await connected()
    const result = await api.train({ config: CONFIG }, newControl(), proxy(() => undefined))
    const acc = await api.evaluate({ network: NET, params: result.params, evalSamples: CONFIG.evalSamples })
    expect(acc).toEqual({ trainAcc: result.summary.trainAcc, testAcc: result.summary.testAcc })
    expect(acc.testAcc).toBeGreaterThan(0.5)
  })

  it('predicts test images with their true labels and a probability per class', async () => {
    const api = await connected()
    const result = await api.train({ config: CONFIG }, newControl(), proxy(() => undefined))
    const indices = [0, 1, 2, 9999]
    const predictions = await api.predict({ network: NET, params: result.params, indices })
    expect(predictions.map((p) => p.index)).toEqual(indices)
    predictions.forEach((p) => {
      expect(p.label).toBe(mnist.test.labels[p.index])
      expect(p.probs).toHaveLength(10)
      expect(p.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12)
      expect(p.probs[p.predicted]).toBe(Math.max(...p.probs))
    })
    await expect(api.predict({ network: NET, params: result.params, indices: [10_000] })).rejects.toMatchObject({ name: 'RangeError' })
  })

  it('gradient-checks a fresh network to a mean |Δ| under 1e-6, reporting progress', async () => {
    const api = await connected()
    const reports: [number, number][] = []
    const network: NetworkConfig = { ...NET, hiddenSizes: [8] }
    const result = await api.gradientCheck({ network, seed: 1, samples: 3 }, proxy((done: number, total: number) => { reports.push([done, total]) }))
    expect(result.params.map((p) => p.name)).toEqual(['W1', 'b1', 'W2', 'b2'])
    for (const p of result.params) {
      expect(p.meanAbs).toBeLessThan(1e-6)
      expect(p.count + p.kinks).toBe(p.shape.reduce((a, b) => a * b, 1))
    }
    // the last report travels on the callback's own port and may land just after the result
    await expect.poll(() => reports.at(-1)).toEqual([784 * 8 + 8 + 8 * 10 + 10, 784 * 8 + 8 + 8 * 10 + 10])
  })

  it('rethrows errors with their name: no dataset, a network that does not fit', async () => {
    const bare = await connected(false)
    await expect(bare.evaluate({ network: NET, params: [], evalSamples: 10 })).rejects.toMatchObject({ name: 'NoDatasetError' })

    const api = await connected()
    const wide = api.gradientCheck({ network: { ...NET, inputSize: 100 }, seed: 1, samples: 3 })
    await expect(wide).rejects.toMatchObject({ name: 'DatasetMismatchError', message: expect.stringContaining('100 inputs') })
  })
})
