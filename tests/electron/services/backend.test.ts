import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { imageBytes } from '../../../shared/data/image-bytes'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { Backend, type ChooseFile } from '../../../electron/services/backend'
import { defaultDatasetDir, loadDefaultDataset } from '../../../electron/services/dataset-loader'
import { saveModel } from '../../../electron/services/model-store'
import type { Dataset } from '../../../shared/data/dataset'
import { paramShapes, type NetworkConfig } from '../../../shared/engine/network-config'
import type { TrainConfig } from '../../../shared/engine/train-config'
import type { BackendEvent } from '../../../shared/ipc'
import { MODEL_FORMAT, MODEL_VERSION, type ModelFile } from '../../../shared/model/model-file'
import { LIMITS } from '../../../shared/schemas/limits'

const NET: NetworkConfig = { inputSize: 784, hiddenSizes: [20], outputSize: 10, activation: 'relu', weightInit: { kind: 'he' } }
const CONFIG: TrainConfig = { network: NET, iters: 200, batchSize: 20, lr: 0.1, seed: 2, evalEvery: 100, evalSamples: 500, sampling: 'replacement' }
const LONG: TrainConfig = { ...CONFIG, iters: 10_000_000 }
const TINY: NetworkConfig = { inputSize: 4, hiddenSizes: [3], outputSize: 2, activation: 'relu', weightInit: { kind: 'he' } }

/** Workers take a while to start on a busy machine; the waits are generous, never timed assertions. */
const poll = <T>(fn: () => T) => expect.poll(fn, { timeout: 30_000, interval: 20 })

type Finished = Extract<BackendEvent, { type: 'train-finished' }>
type Failed = Extract<BackendEvent, { type: 'train-failed' }>

let root: string
let mnist: Dataset
const backends: Backend[] = []

async function newBackend(userDataDir: string, chooseFile?: ChooseFile): Promise<Backend> {
  const b = await Backend.create({ userDataDir, poolSize: 2, chooseFile })
  backends.push(b)
  return b
}

/** Records a backend's events and waits for the end of a training job. */
function listen(b: Backend) {
  const events: BackendEvent[] = []
  const off = b.onEvent((e) => events.push(e))
  const progress = (jobId: string) => events.flatMap((e) => (e.type === 'train-progress' && e.jobId === jobId ? [e.progress] : []))
  const end = (jobId: string) => events.find((e): e is Finished | Failed => (e.type === 'train-finished' || e.type === 'train-failed') && e.jobId === jobId)
  return {
    events,
    off,
    progress,
    iter: (jobId: string) => progress(jobId).at(-1)?.iter ?? 0,
    async finished(jobId: string): Promise<Finished> {
      await poll(() => end(jobId)).toBeDefined()
      const e = end(jobId)!
      if (e.type === 'train-failed') throw new Error(`${e.error.name}: ${e.error.message}`)
      return e
    },
    async failed(jobId: string): Promise<Failed> {
      await poll(() => end(jobId)?.type).toBe('train-failed')
      return end(jobId) as Failed
    },
  }
}

function tinyModel(): ModelFile {
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    savedAt: '2025-01-02T03:04:05.000Z',
    network: TINY,
    training: { iters: 10, batchSize: 2, lr: 0.1, seed: 1, evalEvery: 5, evalSamples: 0, sampling: 'replacement' },
    summary: { iterations: 10, loss: 0.5, trainAcc: 0.75, testAcc: 0.5, dataset: { name: 'tiny', fingerprint: 'f' } },
    rngState: [],
    params: paramShapes(TINY).map(({ name, shape }) => ({ name, shape, data: new Float64Array(shape.reduce((a, b) => a * b, 1)).fill(0.25) })),
  }
}

/** An MNIST-format folder of 2×2 images in 2 classes. */
async function writeTinyDataset(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true })
  const u32 = (...xs: number[]) => { const b = Buffer.alloc(xs.length * 4); xs.forEach((x, i) => b.writeUInt32BE(x, i * 4)); return b }
  for (const [prefix, n] of [['train', 6], ['t10k', 4]] as const) {
    const labels = Buffer.from(Array.from({ length: n }, (_, i) => i % 2))
    const pixels = Buffer.from(Array.from({ length: n * 4 }, (_, i) => (i * 53) % 256))
    await writeFile(join(dir, `${prefix}-images-idx3-ubyte`), Buffer.concat([u32(0x803, n, 2, 2), pixels]))
    await writeFile(join(dir, `${prefix}-labels-idx1-ubyte`), Buffer.concat([u32(0x801, n), labels]))
  }
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'backend-'))
  mnist = await loadDefaultDataset()
})

afterAll(async () => {
  await Promise.all(backends.map((b) => b.dispose()))
  await rm(root, { recursive: true, force: true })
})

describe('Backend: dataset', () => {
  it('serves the embedded MNIST and raw bytes of sample images, capped per call', async () => {
    const b = await newBackend(join(root, 'dataset'))
    const info = await b.getDataset({})
    expect(info).toMatchObject({ source: 'embedded', path: defaultDatasetDir(), rows: 28, cols: 28, classes: 10, trainCount: 60000, testCount: 10000 })
    expect(info.fingerprint).toMatch(/^[0-9a-f]{64}$/)

    const tail = await b.datasetSamples({ split: 'test', start: 9990, count: 50 })
    expect(tail.indices).toEqual(Array.from({ length: 10 }, (_, i) => 9990 + i))
    expect(tail.labels).toEqual(Array.from(mnist.test.labels.subarray(9990)))
    expect(Buffer.from(tail.pixels).equals(Buffer.from(imageBytes(mnist.test, 784, 9990, 10)))).toBe(true)
    expect(tail.pixels.buffer).not.toBeInstanceOf(SharedArrayBuffer)

    const many = await b.datasetSamples({ split: 'train', start: 0, count: 5000 })
    expect(many.indices).toHaveLength(256)
    expect(many.pixels).toHaveLength(256 * 784)
    await expect(b.datasetSamples({ split: 'train', start: 60000, count: 1 })).rejects.toThrow(/start 60000 is outside the 60000 train images/)
  })

  it('opens a dataset folder, and keeps the current dataset when a folder fails to load', async () => {
    const b = await newBackend(join(root, 'open-dataset'))
    const before = await b.getDataset({})
    await expect(b.openDataset({ path: join(root, 'no-such-folder') })).rejects.toMatchObject({ name: 'DatasetFolderError' })
    expect(await b.getDataset({})).toEqual(before)

    const tinyDir = join(root, 'tiny-data')
    await writeTinyDataset(tinyDir)
    const tiny = await b.openDataset({ path: tinyDir })
    expect(tiny).toMatchObject({ source: 'folder', path: tinyDir, name: 'tiny-data', rows: 2, cols: 2, classes: 2, trainCount: 6, testCount: 4 })
    expect(await b.getDataset({})).toEqual(tiny)
    const back = await b.openDataset({ path: defaultDatasetDir() })
    expect(back).toEqual(before)
  })

  it('asks chooseFile for a dataset folder when the path is null, and needs a path without one', async () => {
    const choose = vi.fn<ChooseFile>(async () => null)
    const b = await newBackend(join(root, 'choose-dataset'), choose)
    expect(await b.openDataset({ path: null })).toBeNull()
    expect(choose).toHaveBeenCalledWith('open-dataset', undefined)
    const bare = await newBackend(join(root, 'choose-dataset-none'))
    await expect(bare.openDataset({ path: null })).rejects.toMatchObject({ name: 'PathRequiredError', message: expect.stringContaining('path is required') })
  })
})

describe('Backend: training and the current model', () => {
  let b: Backend
  let ev: ReturnType<typeof listen>
  let userDataDir: string

  beforeAll(async () => {
    userDataDir = join(root, 'training')
    b = await newBackend(userDataDir)
    ev = listen(b)
  })

  it('streams progress, stops with the model trained so far, and saves it so that it predicts identically', async () => {
    expect(await b.currentModel({})).toBeNull()
    const { jobId } = await b.startTraining({ config: LONG, resume: false })
    expect(await b.trainingStatus({})).toMatchObject({ jobId, state: 'running' })
    await poll(() => ev.iter(jobId)).toBeGreaterThan(50)
    expect((await b.controlTraining({ jobId, action: 'stop' })).state).toBe('stopping')

    const done = await ev.finished(jobId)
    expect(done.stopped).toBe(true)
    const progress = ev.progress(jobId)
    const losses = progress.flatMap((p) => Array.from(p.losses))
    expect(losses).toHaveLength(progress.at(-1)!.iter)
    expect(losses).toHaveLength(done.summary.iterations)
    expect(done.model).toMatchObject({ path: null, savedAt: null, unsaved: true, network: NET, summary: done.summary, parameterCount: 784 * 20 + 20 + 20 * 10 + 10 })
    expect(await b.currentModel({})).toEqual(done.model)
    expect(await b.trainingStatus({})).toEqual({ jobId: null, state: 'idle', config: null })

    const indices = [0, 1, 2, 3, 4]
    const before = await b.predict({ indices })
    expect(before.map((p) => p.label)).toEqual(Array.from(mnist.test.labels.subarray(0, 5)))

    const saved = await b.saveModel({ path: 'partial.json' })
    const path = join(userDataDir, 'models', 'partial.json')
    expect(saved).toMatchObject({ path, unsaved: false, summary: done.summary })
    expect(saved?.savedAt).toMatch(/^\d{4}-\d\d-\d\dT/)
    expect(await b.currentModel({})).toEqual(saved)
    expect((await b.recentModels({}))[0]).toMatchObject({ path, name: 'partial', testAcc: done.summary.testAcc })

    const opened = await b.openModel({ path })
    expect(opened).toEqual(saved)
    const after = await b.predict({ indices })
    after.forEach((p, i) => {
      expect(p.predicted).toBe(before[i].predicted)
      expect(Buffer.from(p.probs.buffer).equals(Buffer.from(before[i].probs.buffer))).toBe(true)
    })
    const acc = await b.evaluateModel({ evalSamples: CONFIG.evalSamples })
    expect(acc).toEqual({ trainAcc: done.summary.trainAcc, testAcc: done.summary.testAcc })
  })

  it('continues the current model when resuming, and refuses a different network', async () => {
    const base = await b.currentModel({})
    expect(base).not.toBeNull()
    await expect(b.startTraining({ config: { ...CONFIG, network: { ...NET, hiddenSizes: [30] } }, resume: true }))
      .rejects.toMatchObject({ name: 'ModelMismatchError', message: expect.stringContaining('config.network.hiddenSizes is [30] but the current model has [20]') })
    const { jobId } = await b.startTraining({ config: { ...CONFIG, iters: 40 }, resume: true })
    const done = await ev.finished(jobId)
    expect(done.summary.iterations).toBe(base!.summary.iterations + 40)
    expect(done.model.unsaved).toBe(true)
    expect(ev.progress(jobId)[0].lossStart).toBe(0)
  })

  // Field rules (lr > 0 …) are the dispatcher's schema; the back end checks what depends on its state.
  it('rejects a config that does not fit the dataset naming the field, and a second job while one runs', async () => {
    await expect(b.startTraining({ config: { ...CONFIG, network: { ...NET, inputSize: 100 } }, resume: false }))
      .rejects.toMatchObject({ name: 'ConfigError', message: expect.stringContaining('network.inputSize: must be 784') })
    const { jobId } = await b.startTraining({ config: LONG, resume: false })
    await expect(b.startTraining({ config: CONFIG, resume: false })).rejects.toMatchObject({ name: 'TrainingBusyError' })
    await b.controlTraining({ jobId, action: 'stop' })
    await ev.finished(jobId)
  })

  it('runs a gradient check during training, on a fresh network or the current model', async () => {
    const { jobId } = await b.startTraining({ config: LONG, resume: false })
    await poll(() => ev.iter(jobId)).toBeGreaterThan(0)
    const fresh = await b.gradientCheck({ network: { ...NET, hiddenSizes: [10] }, seed: 4, samples: 3, useCurrentModel: false })
    for (const p of fresh.params) expect(p.meanAbs).toBeLessThan(1e-6)
    const current = await b.gradientCheck({ network: TINY, seed: 4, samples: 3, useCurrentModel: true })
    expect(current.params.map((p) => p.shape)).toEqual([[784, 20], [20], [20, 10], [10]])
    for (const p of current.params) expect(p.meanAbs).toBeLessThan(1e-6)
    const reports = ev.events.filter((e) => e.type === 'gradcheck-progress')
    expect(new Set(reports.map((e) => e.jobId)).size).toBe(2)
    expect(ev.iter(jobId)).toBeGreaterThan(0)
    expect((await b.trainingStatus({})).jobId).toBe(jobId)
    await b.controlTraining({ jobId, action: 'stop' })
    await ev.finished(jobId)
  })

  it('reports train-failed when the worker dies, and trains again afterwards', async () => {
    const model = await b.currentModel({})
    const { jobId } = await b.startTraining({ config: LONG, resume: false })
    await poll(() => ev.iter(jobId)).toBeGreaterThan(0)
    await b.training.pool.busyWorkers()[0].worker.terminate()
    const failed = await ev.failed(jobId)
    expect(failed.error).toEqual({ name: 'WorkerCrashError', message: expect.stringContaining('exited unexpectedly') })
    expect(await b.currentModel({})).toEqual(model)
    const next = await b.startTraining({ config: { ...CONFIG, iters: 30 }, resume: false })
    expect((await ev.finished(next.jobId)).summary.iterations).toBe(30)
  })
})

describe('Backend: model files', () => {
  it('needs a path to save without chooseFile, and asks chooseFile with a suggestion otherwise', async () => {
    const bare = await newBackend(join(root, 'save-bare'))
    await expect(bare.saveModel({ path: null })).rejects.toMatchObject({ name: 'NoModelError' })
    const trained = listen(bare)
    const { jobId } = await bare.startTraining({ config: { ...CONFIG, iters: 20 }, resume: false })
    await trained.finished(jobId)
    await expect(bare.saveModel({ path: null })).rejects.toMatchObject({ name: 'PathRequiredError', message: 'saveModel: a path is required (no file dialog is available here)' })

    const userDataDir = join(root, 'save-choose')
    const target = join(root, 'elsewhere.json')
    const choose = vi.fn<ChooseFile>(async () => null)
    const b = await newBackend(userDataDir, choose)
    const ev = listen(b)
    const job = await b.startTraining({ config: { ...CONFIG, iters: 20 }, resume: false })
    await ev.finished(job.jobId)
    expect(await b.saveModel({ path: null })).toBeNull()
    expect(choose).toHaveBeenLastCalledWith('save-model', join(userDataDir, 'models', 'mnist-784-20-10-20it.json'))
    expect((await b.currentModel({}))?.unsaved).toBe(true)
    choose.mockResolvedValueOnce(target)
    expect(await b.saveModel({ path: null })).toMatchObject({ path: target, unsaved: false })
    choose.mockResolvedValueOnce(null)
    expect(await b.openModel({ path: null })).toBeNull()
    expect(choose).toHaveBeenLastCalledWith('open-model', join(userDataDir, 'models'))
  })

  it('opens a model that does not fit the dataset, but refuses to evaluate, predict or resume it', async () => {
    const b = await newBackend(join(root, 'mismatch'))
    const path = join(root, 'tiny-model.json')
    await saveModel(path, tinyModel())
    const info = await b.openModel({ path })
    expect(info).toMatchObject({ path, network: TINY, unsaved: false, parameterCount: 4 * 3 + 3 + 3 * 2 + 2 })
    await expect(b.predict({ indices: [0] })).rejects.toMatchObject({ name: 'ModelMismatchError', message: expect.stringContaining('model.inputSize must be 784') })
    await expect(b.evaluateModel({ evalSamples: 10 })).rejects.toMatchObject({ name: 'ModelMismatchError' })
    await expect(b.startTraining({ config: { ...CONFIG, network: TINY }, resume: true })).rejects.toMatchObject({ name: 'ConfigError', message: expect.stringContaining('network.inputSize') })
    await expect(b.openModel({ path: join(root, 'missing.json') })).rejects.toMatchObject({ name: 'ModelStoreError' })
    expect(await b.currentModel({})).toEqual(info)
  })

  it('remembers recent models across restarts, most recent first, dropping files that no longer load', async () => {
    const userDataDir = join(root, 'recent')
    const a = join(root, 'recent-a.json'), c = join(root, 'recent-c.json')
    await saveModel(a, tinyModel())
    await saveModel(c, tinyModel())
    const first = await newBackend(userDataDir)
    await first.openModel({ path: a })
    await first.openModel({ path: c })
    await first.openModel({ path: a })
    expect((await first.recentModels({})).map((r) => r.path)).toEqual([a, c])
    await first.dispose()

    const stored = JSON.parse(await readFile(join(userDataDir, 'recent-models.json'), 'utf8')) as { paths: string[] }
    expect(stored.paths).toEqual([a, c])
    await writeFile(c, '{ not a model')
    const second = await newBackend(userDataDir)
    const recent = await second.recentModels({})
    expect(recent).toEqual([{ path: a, name: 'recent-a', savedAt: '2025-01-02T03:04:05.000Z', testAcc: 0.5, sizeBytes: expect.any(Number) }])
    expect(JSON.parse(await readFile(join(userDataDir, 'recent-models.json'), 'utf8'))).toEqual({ paths: [a] })
  })
})

describe('Backend: paths and limits', () => {
  it('in Electron, opens or saves only paths chosen in a dialog this session or on the recent list', async () => {
    const userDataDir = join(root, 'paths-chosen')
    const a = join(root, 'chosen-a.json')
    await saveModel(a, tinyModel())
    const choose = vi.fn<ChooseFile>(async () => a)
    const b = await newBackend(userDataDir, choose)
    await expect(b.openModel({ path: a })).rejects.toMatchObject({ name: 'PathNotAllowedError', message: `openModel: ${a} was not chosen in a file dialog in this session; choose it with Open… or Save As…` })
    await expect(b.openModel({ path: '/etc/passwd' })).rejects.toMatchObject({ name: 'PathNotAllowedError' })
    await expect(b.openDataset({ path: '/etc' })).rejects.toMatchObject({ name: 'PathNotAllowedError' })
    expect(await b.openModel({ path: null })).toMatchObject({ path: a })
    expect(await b.openModel({ path: a })).toMatchObject({ path: a })
    await expect(b.saveModel({ path: join(root, 'chosen-elsewhere.json') })).rejects.toMatchObject({ name: 'PathNotAllowedError' })
    expect(await b.saveModel({ path: a })).toMatchObject({ path: a, unsaved: false })
    await b.dispose()
    // a new session trusts what it recorded itself, and nothing else
    const again = await newBackend(userDataDir, vi.fn<ChooseFile>(async () => null))
    expect(await again.openModel({ path: a })).toMatchObject({ path: a })
    await expect(again.openModel({ path: join(root, 'tiny-model.json') })).rejects.toMatchObject({ name: 'PathNotAllowedError' })
  })

  it('in web mode, takes any path but never echoes the content of a file that is not a model', async () => {
    const b = await newBackend(join(root, 'paths-any'))
    const secret = join(root, 'secret.txt')
    await writeFile(secret, 'root:x:0:0:root:/root:/bin/bash\nhunter2\n')
    const error = await b.openModel({ path: secret }).catch((e: unknown) => e as Error)
    expect(error).toMatchObject({ name: 'ModelFileError' })
    expect((error as Error).message).not.toMatch(/root:x|bash|hunter2/)
  })

  it('opens a model at the network limits and trains it further; refuses one past them at open', async () => {
    const b = await newBackend(join(root, 'limits'))
    const deep: NetworkConfig = { ...NET, hiddenSizes: Array(LIMITS.hiddenLayers).fill(4) }
    const model = (network: NetworkConfig): ModelFile => ({
      ...tinyModel(),
      network,
      params: paramShapes(network).map(({ name, shape }) => ({ name, shape, data: new Float64Array(shape.reduce((x, y) => x * y, 1)).fill(0.01) })),
    })
    const inside = join(root, 'limits-inside.json')
    await saveModel(inside, model(deep))
    await b.openModel({ path: inside })
    const ev = listen(b)
    const { jobId } = await b.startTraining({ config: { ...CONFIG, network: deep, iters: 20 }, resume: true })
    expect((await ev.finished(jobId)).summary.iterations).toBe(30)

    const past = join(root, 'limits-past.json')
    const text = (await readFile(inside, 'utf8'))
      .replace(/"hiddenSizes": \[[^\]]*\]/, `"hiddenSizes": [${Array(LIMITS.hiddenLayers + 1).fill(4).join(', ')}]`)
    await writeFile(past, text)
    await expect(b.openModel({ path: past })).rejects.toMatchObject({
      name: 'ModelFileError', message: `limits-past.json: network.hiddenSizes: must be a list of 0 to ${LIMITS.hiddenLayers} layer sizes, got a list`,
    })
  })
})
