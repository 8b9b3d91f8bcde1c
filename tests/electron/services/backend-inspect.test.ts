import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Backend } from '../../../electron/services/backend'
import { createDispatcher, type Dispatch } from '../../../electron/services/dispatcher'
import type { NetworkConfig } from '../../../shared/engine/network-config'
import type { TrainConfig } from '../../../shared/engine/train-config'
import type { BackendEvent, ImageClassification, NetworkInspection } from '../../../shared/ipc'

const NET: NetworkConfig = { inputSize: 784, hiddenSizes: [20], outputSize: 10, activation: 'relu', weightInit: { kind: 'he' } }
const CONFIG: TrainConfig = { network: NET, iters: 200, batchSize: 20, lr: 0.1, seed: 3, evalEvery: 100, evalSamples: 200, sampling: 'replacement' }
const DEEP_SIGMOID: NetworkConfig = { inputSize: 784, hiddenSizes: [50, 50, 50, 50], outputSize: 10, activation: 'sigmoid', weightInit: { kind: 'xavier' } }

let root: string
let backend: Backend
let dispatch: Dispatch

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'backend-inspect-'))
  backend = await Backend.create({ userDataDir: root, poolSize: 1 })
  dispatch = createDispatcher(backend)
})

afterAll(async () => {
  await backend.dispose()
  await rm(root, { recursive: true, force: true })
})

async function train(): Promise<void> {
  const done = new Promise<void>((resolve, reject) => {
    const off = backend.onEvent((e: BackendEvent) => {
      if (e.type === 'train-finished') { off(); resolve() }
      if (e.type === 'train-failed') { off(); reject(new Error(e.error.message)) }
    })
  })
  await backend.startTraining({ config: CONFIG, resume: false })
  await done
}

describe('Backend.predictImage and inspectBatch', () => {
  it('refuses both on the current model when there is none', async () => {
    await expect(backend.predictImage({ pixels: new Array(784).fill(0) })).rejects.toMatchObject({ name: 'NoModelError' })
    await expect(backend.inspectBatch({ network: NET, batchSize: 10, seed: 1, useCurrentModel: true })).rejects.toMatchObject({ name: 'NoModelError' })
  })

  it('inspects a fresh deep sigmoid net on one batch: shapes, shrinking gradients, (y − t)/N', async () => {
    const r = await backend.inspectBatch({ network: DEEP_SIGMOID, batchSize: 32, seed: 7, useCurrentModel: false })
    expect(r.batchSize).toBe(32)
    expect(r.layers.map((l) => l.name)).toEqual(['Affine1', 'Sigmoid1', 'Affine2', 'Sigmoid2', 'Affine3', 'Sigmoid3', 'Affine4', 'Sigmoid4', 'Affine5'])
    expect(r.layers[0].inShape).toEqual([32, 784])
    const sigmoids = r.layers.filter((l) => l.kind === 'Sigmoid').map((l) => l.doutNorm)
    for (let i = 0; i + 1 < sigmoids.length; i++) expect(sigmoids[i]).toBeLessThan(sigmoids[i + 1])
    expect(r.layers[0].dxNorm).toBeGreaterThan(0)
    expect(r.softmax.maxDeviation).toBeLessThan(1e-15)
    // the same seed draws the same batch and the same initial weights
    expect(await backend.inspectBatch({ network: DEEP_SIGMOID, batchSize: 32, seed: 7, useCurrentModel: false })).toEqual(r)
  })

  it('classifies a test image sent as bytes as predict does, and inspects the trained model', async () => {
    await train()
    const sample = await backend.datasetSamples({ split: 'test', start: 5, count: 1 })
    const drawn = await backend.predictImage({ pixels: Array.from(sample.pixels) })
    const [predicted] = await backend.predict({ indices: [5] })
    drawn.probabilities.forEach((p, k) => expect(p).toBeCloseTo(predicted.probs[k], 12))
    expect(drawn.predicted).toBe(predicted.predicted)
    expect(drawn.hidden.map((h) => h.length)).toEqual([20])

    const r = await backend.inspectBatch({ network: DEEP_SIGMOID, batchSize: 50, seed: 1, useCurrentModel: true })
    expect(r.layers.map((l) => l.name)).toEqual(['Affine1', 'ReLU1', 'Affine2'])
    const relu = r.layers[1]
    expect(relu.passFraction).toBeGreaterThan(0)
    expect(relu.passFraction).toBeLessThan(1)
    // trained for 200 steps: the loss is well below ln 10 ≈ 2.3
    expect(r.loss).toBeLessThan(1.5)
  }, 120_000)

  it('checks requests at the dispatcher: 784 bytes, a batch size within the limits', async () => {
    const bad = await dispatch('predictImage', { pixels: new Array(783).fill(0) })
    expect(bad).toMatchObject({ ok: false, error: { name: 'IpcValidationError' } })
    const over = await dispatch('predictImage', { pixels: [...new Array(783).fill(0), 256] })
    expect(over).toMatchObject({ ok: false, error: { name: 'IpcValidationError' } })
    const ok = await dispatch('predictImage', { pixels: new Array(784).fill(255) })
    expect(ok.ok).toBe(true)
    expect((ok as { value: ImageClassification }).value.probabilities).toHaveLength(10)
    const zero = await dispatch('inspectBatch', { network: NET, batchSize: 0, seed: 1, useCurrentModel: false })
    expect(zero).toMatchObject({ ok: false, error: { name: 'IpcValidationError' } })
    const inspected = await dispatch('inspectBatch', { network: NET, batchSize: 5, seed: 1, useCurrentModel: false })
    expect((inspected as { value: NetworkInspection }).value.softmax.shape).toEqual([5, 10])
  })

  it('refuses a network that does not fit the dataset', async () => {
    await expect(backend.inspectBatch({ network: { ...NET, inputSize: 100 }, batchSize: 5, seed: 1, useCurrentModel: false })).rejects.toMatchObject({ name: 'ConfigError' })
  })
})
