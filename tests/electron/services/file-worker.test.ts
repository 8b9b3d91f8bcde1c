import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { FileWorker, sharedFileWorker } from '../../../electron/services/file-worker'
import { tinyDatasetInput } from '../tiny-dataset-input'
import { paramShapes, type NetworkConfig } from '../../../shared/engine/network-config'
import { MODEL_FORMAT, MODEL_MAX_NODES, MODEL_VERSION, serializeModel, type ModelFile } from '../../../shared/model/model-file'

const NET: NetworkConfig = { inputSize: 4, hiddenSizes: [3], outputSize: 2, activation: 'relu', weightInit: { kind: 'he' }, batchnorm: false }
const MODEL: ModelFile = {
  format: MODEL_FORMAT,
  version: MODEL_VERSION,
  savedAt: '2025-01-02T03:04:05.000Z',
  network: NET,
  training: { iters: 10, batchSize: 2, lr: 0.1, seed: 1, evalEvery: 5, evalSamples: 0, sampling: 'replacement' },
  summary: { iterations: 10, loss: 0.5, trainAcc: 0.75, testAcc: 0.5, dataset: { name: 'tiny', fingerprint: 'f' } },
  rngState: [1, 2, 3, 4],
  params: paramShapes(NET).map(({ name, shape }, k) => ({ name, shape, data: Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => (i - k) / 3) })),
}

const encode = (text: string) => new TextEncoder().encode(text)
const files = new FileWorker()
afterAll(() => files.dispose())

describe('FileWorker', () => {
  it('parses a model file on its worker thread, bit for bit', async () => {
    const back = await files.parseModel(encode(serializeModel(MODEL)), 'm.json')
    expect(back.network).toEqual(NET)
    back.params.forEach((p, i) => expect(Array.from(p.data)).toEqual(Array.from(MODEL.params[i].data)))
  })

  it('rethrows a bad file as a ModelFileError naming it, without its content', async () => {
    await expect(files.parseModel(encode('root:x:0:0:root:/root:/bin/bash'), 'passwd')).rejects.toMatchObject({ name: 'ModelFileError', message: 'passwd: not valid JSON: unexpected "r"' })
    await expect(files.parseModel(new Uint8Array([0x7b, 0xff, 0xfe]), 'bin.json')).rejects.toMatchObject({ name: 'ModelFileError', message: 'bin.json: not valid UTF-8 text' })
    const bomb = encode(`[${'[],'.repeat(1_000_000)}[]]`)
    await expect(files.parseModel(bomb, 'bomb.json')).rejects.toMatchObject({ name: 'ModelFileError', message: expect.stringContaining(`a model file has at most ${MODEL_MAX_NODES}`) })
    // the worker is still there for the next file
    expect((await files.parseModel(encode(serializeModel(MODEL)), 'again.json')).summary.iterations).toBe(10)
  })

  it('ends an idle worker and starts a fresh one for the next call', async () => {
    const w = new FileWorker({ idleMs: 10 })
    const first = await w.parseModel(encode(serializeModel(MODEL)), 'm.json')
    await new Promise((resolve) => setTimeout(resolve, 200))
    const second = await w.parseModel(encode(serializeModel(MODEL)), 'm.json')
    expect(second.params[0].data).toEqual(first.params[0].data)
    await w.dispose()
  })

  it('ends the worker as soon as it is idle after building a dataset (the files\' bytes go with it)', async () => {
    const w = new FileWorker({ idleMs: 60_000 })
    await w.parseModel(encode(serializeModel(MODEL)), 'm.json')
    await new Promise((resolve) => setTimeout(resolve, 100))
    // a parse leaves the worker for the next call
    expect(w.running).toBe(true)
    const d = await w.buildDataset(tinyDatasetInput())
    expect(d.train.count).toBe(3)
    await vi.waitFor(() => expect(w.running).toBe(false), { timeout: 5000, interval: 20 })
    // and the next call starts another
    expect((await w.parseModel(encode(serializeModel(MODEL)), 'm.json')).summary.iterations).toBe(10)
    await w.dispose()
  })

  it('refuses calls once disposed', async () => {
    const w = new FileWorker()
    await w.parseModel(encode(serializeModel(MODEL)), 'm.json')
    await w.dispose()
    await expect(w.parseModel(encode(serializeModel(MODEL)), 'm.json')).rejects.toMatchObject({ name: 'WorkerCrashError' })
  })
})

const root = fileURLToPath(new URL('../../../', import.meta.url))

/** Runs an ES module script in a fresh Node process under tsx, from the project root. */
function runScript(source: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], { cwd: root }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }))
  })
}

describe('sharedFileWorker', () => {
  it('is one worker for the process', () => {
    expect(sharedFileWorker()).toBe(sharedFileWorker())
  })

  it('keeps the process alive while a call runs, and not once it is idle', async () => {
    // exit code 13 would mean Node quit with the load unsettled; a worker holding the process would hang the test
    const run = await runScript(`
      const { loadDefaultDataset } = await import('./electron/services/dataset-loader.ts')
      const d = await loadDefaultDataset()
      process.stdout.write(String(d.train.sparse.start.length))
    `)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toBe('60001')
  })
})
