import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as ort from 'onnxruntime-web'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Backend, type ChooseFile } from '../../../electron/services/backend'
import type { NetworkConfig } from '../../../shared/engine/network-config'
import type { TrainConfig } from '../../../shared/engine/train-config'
import type { BackendEvent } from '../../../shared/ipc'

const NET: NetworkConfig = { inputSize: 784, hiddenSizes: [20], outputSize: 10, activation: 'sigmoid', weightInit: { kind: 'xavier' }, batchnorm: true }
const CONFIG: TrainConfig = { network: NET, iters: 200, batchSize: 50, lr: 0.1, seed: 4, evalEvery: 100, evalSamples: 0, sampling: 'replacement' }

let root: string
const backends: Backend[] = []
beforeAll(async () => { root = await mkdtemp(join(tmpdir(), 'backend-interchange-')) })
afterAll(async () => {
  await Promise.all(backends.map((b) => b.dispose()))
  await rm(root, { recursive: true, force: true })
})

async function trainedBackend(chooseFile?: ChooseFile): Promise<Backend> {
  const b = await Backend.create({ userDataDir: join(root, `user-${backends.length}`), poolSize: 2, chooseFile })
  backends.push(b)
  const events: BackendEvent[] = []
  b.onEvent((e) => events.push(e))
  const { jobId } = await b.startTraining({ config: CONFIG, resume: false })
  await expect.poll(() => events.find((e) => e.type === 'train-finished' && e.jobId === jobId), { timeout: 60_000, interval: 20 }).toBeDefined()
  return b
}

describe('Backend exportModel and importNpz', () => {
  it('exports .npz and ONNX, and an .npz imported back evaluates as the model did', async () => {
    const b = await trainedBackend()
    const trained = (await b.currentModel({}))!
    const npzPath = join(root, 'model.npz')
    expect(await b.exportModel({ format: 'npz', path: npzPath })).toEqual({ path: npzPath, format: 'npz', sizeBytes: (await readFile(npzPath)).length })
    const onnx = await b.exportModel({ format: 'onnx', path: join(root, 'model.onnx') })
    ort.env.wasm.numThreads = 1
    const session = await ort.InferenceSession.create(await readFile(onnx!.path))
    expect(session.outputNames).toEqual(['probabilities', 'logits'])
    await session.release()

    const imported = (await b.importNpz({ path: npzPath }))!
    expect(imported.notes).toEqual([])
    expect(imported.model).toMatchObject({ path: null, unsaved: true, network: NET, training: trained.training, parameterCount: trained.parameterCount })
    expect(imported.model.summary).toEqual({ ...trained.summary })
    expect(await b.currentModel({})).toEqual(imported.model)
    // saved as a model file, it opens again
    const saved = await b.saveModel({ path: join(root, 'imported.json') })
    expect(saved?.summary.testAcc).toBe(trained.summary.testAcc)
  }, 120_000)

  it('refuses a damaged .npz naming the file, and keeps the current model', async () => {
    const b = backends[0]
    const before = await b.currentModel({})
    const bad = join(root, 'bad.npz')
    await writeFile(bad, 'not a zip at all')
    await expect(b.importNpz({ path: bad })).rejects.toMatchObject({ name: 'NpzError', message: 'bad.npz: not a valid .npz (zip) archive' })
    await expect(b.importNpz({ path: join(root, 'missing.npz') })).rejects.toMatchObject({ name: 'ModelStoreError', message: expect.stringMatching(/missing\.npz: file not found$/) })
    expect(await b.currentModel({})).toEqual(before)
  })

  it('in Electron, takes only paths the user chose in a dialog', async () => {
    const chosen: string[] = []
    const b = await trainedBackend(async (kind, suggested) => {
      chosen.push(`${kind} ${suggested}`)
      return kind === 'import-npz' ? join(root, 'model.npz') : join(root, `dialog.${kind === 'export-npz' ? 'npz' : 'onnx'}`)
    })
    await expect(b.exportModel({ format: 'onnx', path: join(root, 'elsewhere.onnx') })).rejects.toMatchObject({ name: 'PathNotAllowedError' })
    await expect(b.importNpz({ path: join(root, 'model.npz') })).rejects.toMatchObject({ name: 'PathNotAllowedError' })
    expect((await b.exportModel({ format: 'onnx', path: null }))?.path).toBe(join(root, 'dialog.onnx'))
    expect(chosen[0]).toMatch(/^export-onnx .*mnist-784-20-10-200it\.onnx$/)
    expect((await b.importNpz({ path: null }))?.model.network).toEqual(NET)
    // a path chosen once may be used again
    expect((await b.exportModel({ format: 'onnx', path: join(root, 'dialog.onnx') }))?.format).toBe('onnx')
  }, 120_000)
})
