/**
 * What the network learned, through the Backend with real workers: per-layer statistics in the
 * progress stream, live weights from a running job and from the current model, the confusion
 * matrix of the whole test split, and images by index.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Backend } from '../../../electron/services/backend'
import { createDispatcher } from '../../../electron/services/dispatcher'
import { loadDefaultDataset } from '../../../electron/services/dataset-loader'
import { imageBytes } from '../../../shared/data/image-bytes'
import type { Dataset } from '../../../shared/data/dataset'
import type { NetworkConfig } from '../../../shared/engine/network-config'
import type { TrainConfig } from '../../../shared/engine/train-config'
import type { BackendEvent, TrainProgress } from '../../../shared/ipc'
import { LIVE_WEIGHT_UNITS } from '../../../shared/live-weights'

const NET: NetworkConfig = { inputSize: 784, hiddenSizes: [80, 20], outputSize: 10, activation: 'relu', weightInit: { kind: 'he' } }
const CONFIG: TrainConfig = { network: NET, iters: 300, batchSize: 50, lr: 0.1, seed: 3, evalEvery: 100, evalSamples: 0, sampling: 'replacement' }

/** Workers take a while to start on a busy machine; the waits are generous, never timed assertions. */
const poll = <T>(fn: () => T) => expect.poll(fn, { timeout: 60_000, interval: 20 })

let root: string
let mnist: Dataset
let backend: Backend
const events: BackendEvent[] = []
const progress = (jobId: string): TrainProgress[] => events.flatMap((e) => (e.type === 'train-progress' && e.jobId === jobId ? [e.progress] : []))
const finished = (jobId: string) => events.find((e) => e.type === 'train-finished' && e.jobId === jobId)

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'backend-learned-'))
  mnist = await loadDefaultDataset()
  backend = await Backend.create({ userDataDir: root, poolSize: 2 })
  backend.onEvent((e) => events.push(e))
})

afterAll(async () => {
  await backend?.dispose()
  await rm(root, { recursive: true, force: true })
})

describe('Backend: what the network learned', () => {
  it('has no weights to show and no confusion matrix before there is a model', async () => {
    expect(await backend.liveWeights({ layer: 1 })).toBeNull()
    await expect(backend.confusionMatrix({})).rejects.toMatchObject({ name: 'NoModelError' })
  })

  it('sends layer statistics while training, and the running weights on request, paused or not', async () => {
    const { jobId } = await backend.startTraining({ config: { ...CONFIG, iters: 10_000_000 }, resume: false })
    await poll(() => progress(jobId).filter((p) => p.layerStats).length).toBeGreaterThanOrEqual(2)
    const samples = progress(jobId).flatMap((p) => (p.layerStats ? [p.layerStats] : []))
    const first = samples[0]
    expect(first.iter).toBe(0)
    expect(first.layers.map((l) => l.name)).toEqual(['W1', 'W2', 'W3'])
    expect(first.layers.map((l) => l.deadFraction === null)).toEqual([false, false, true])
    for (const l of first.layers) {
      expect(l.gradNorm).toBeGreaterThan(0)
      expect(l.updateRatio).toBeGreaterThan(0)
      expect(l.histogram.reduce((a, b) => a + b, 0)).toBeGreaterThan(0)
    }
    expect(first.layers[0].histogram.reduce((a, b) => a + b, 0)).toBe(784 * 80)
    expect(samples[1].iter).toBeGreaterThan(first.iter)
    // the weights never reach the event stream
    expect(progress(jobId).some((p) => 'weights' in p)).toBe(false)

    const live = await backend.liveWeights({ layer: 1 })
    expect(live).toMatchObject({ layer: 1, source: 'training', inputs: 784, units: 80 })
    expect(live!.data).toHaveLength(LIVE_WEIGHT_UNITS * 784)
    expect(live!.iterations).toBeGreaterThan(0)
    const [a, b] = await Promise.all([backend.liveWeights({ layer: 2 }), backend.liveWeights({ layer: 3 })])
    expect([a!.layer, a!.inputs, a!.units, a!.data.length]).toEqual([2, 80, 20, 80 * 20])
    expect([b!.layer, b!.inputs, b!.units]).toEqual([3, 20, 10])
    await expect(backend.liveWeights({ layer: 4 })).rejects.toThrow(/layer 4: the running network has 3 weight matrices/)

    await backend.controlTraining({ jobId, action: 'pause' })
    await poll(async () => (await backend.trainingStatus({})).state).toBe('paused')
    const p1 = await backend.liveWeights({ layer: 1 })
    const p2 = await backend.liveWeights({ layer: 1 })
    expect(p2!.iterations).toBe(p1!.iterations)
    expect(Array.from(p2!.data)).toEqual(Array.from(p1!.data))

    await backend.controlTraining({ jobId, action: 'stop' })
    await poll(() => finished(jobId)).toBeDefined()
    // from the model now, which holds the weights the paused job had
    const model = await backend.liveWeights({ layer: 1 })
    expect(model).toMatchObject({ source: 'model', iterations: p1!.iterations })
    expect(Array.from(model!.data)).toEqual(Array.from(p1!.data))
    await expect(backend.liveWeights({ layer: 9 })).rejects.toThrow(/layer 9: the current model has 3 weight matrices/)
  }, 120_000)

  it('counts the whole test split in the confusion matrix; its diagonal is the test accuracy', async () => {
    const { jobId } = await backend.startTraining({ config: CONFIG, resume: false })
    await poll(() => finished(jobId)).toBeDefined()
    const done = finished(jobId)
    if (done?.type !== 'train-finished') throw new Error('training did not finish')
    const c = await backend.confusionMatrix({})
    expect(c.classes).toBe(10)
    expect(c.total).toBe(10_000)
    expect(c.counts.reduce((s, v) => s + v, 0)).toBe(10_000)
    let diagonal = 0
    for (let k = 0; k < 10; k++) diagonal += c.counts[k * 11]
    expect(diagonal).toBe(c.correct)
    expect(c.correct / c.total).toBe(done.summary.testAcc)
    expect(c.iterations).toBe(300)
    expect(Array.from(c.labels)).toEqual(Array.from(mnist.test.labels))
    // the confidences agree with predict's softmax
    const predictions = await backend.predict({ indices: [0, 1, 2] })
    predictions.forEach((p) => {
      expect(c.predicted[p.index]).toBe(p.predicted)
      expect(c.confidence[p.index]).toBeCloseTo(p.probs[p.predicted], 6)
    })
  }, 120_000)

  it('serves images by index in the order asked', async () => {
    const images = await backend.datasetImages({ split: 'test', indices: [9999, 0, 17] })
    expect(images.labels).toEqual([mnist.test.labels[9999], mnist.test.labels[0], mnist.test.labels[17]])
    const expected = Buffer.concat([9999, 0, 17].map((i) => imageBytes(mnist.test, 784, i, 1)))
    expect(Buffer.from(images.pixels).equals(expected)).toBe(true)
    await expect(backend.datasetImages({ split: 'train', indices: [60_000] })).rejects.toThrow(/indices\[0\] = 60000 is outside the 60000 train images/)
  })

  it('refuses, at the boundary, a layer 0, too many images at once and a stray field', async () => {
    const dispatch = createDispatcher(backend)
    const refused = async (method: string, payload: unknown) => {
      const reply = await dispatch(method, payload)
      return reply.ok ? 'accepted' : reply.error.name
    }
    expect(await refused('liveWeights', { layer: 0 })).toBe('IpcValidationError')
    expect(await refused('datasetImages', { split: 'test', indices: Array.from({ length: 257 }, (_, i) => i) })).toBe('IpcValidationError')
    expect(await refused('datasetImages', { split: 'test', indices: [] })).toBe('IpcValidationError')
    expect(await refused('confusionMatrix', { all: true })).toBe('IpcValidationError')
    expect(await refused('datasetImages', { split: 'test', indices: [1, 2] })).toBe('accepted')
  })
})

