import { Buffer } from 'node:buffer'
import { chmod, mkdir, mkdtemp, open, readdir, readFile, rm, stat, truncate, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { listModels, loadModel, saveModel } from '../../../electron/services/model-store'
import { paramShapes, type NetworkConfig } from '../../../shared/engine/network-config'
import { MODEL_FORMAT, MODEL_MAX_BYTES, MODEL_VERSION, type ModelFile } from '../../../shared/model/model-file'

const TINY: NetworkConfig = { inputSize: 4, hiddenSizes: [3], outputSize: 2, activation: 'relu', weightInit: { kind: 'std', std: 0.01 } }

function validModel(savedAt = '2025-01-02T03:04:05.678Z', testAcc = 0.875): ModelFile {
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    savedAt,
    network: TINY,
    training: { iters: 100, batchSize: 10, lr: 0.1, seed: 1, evalEvery: 10, evalSamples: 0, sampling: 'epochs' },
    summary: { iterations: 100, loss: 0.25, trainAcc: 0.9, testAcc, dataset: { name: 'mnist', fingerprint: 'abc123' } },
    rngState: [],
    params: paramShapes(TINY).map(({ name, shape }) => ({
      name,
      shape,
      data: Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => (i % 2 ? -1 : 1) * (i + 1) * 1e-3),
    })),
  }
}

const isRoot = process.getuid?.() === 0

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'model-store-'))
})

afterEach(async () => {
  await chmod(dir, 0o700).catch(() => undefined)
  await rm(dir, { recursive: true, force: true })
})

describe('saveModel / loadModel', () => {
  it('round-trips bit for bit and leaves no temp files', async () => {
    const model = validModel()
    model.params[1].data.set([-0, 5e-324, 1 / 3])
    const path = join(dir, 'best.json')
    await saveModel(path, model)
    const back = await loadModel(path)
    back.params.forEach((p, i) => {
      const want = model.params[i].data
      expect(Buffer.from(p.data.buffer).equals(Buffer.from(want.buffer, want.byteOffset, want.byteLength))).toBe(true)
    })
    expect(Object.is(back.params[1].data[0], -0)).toBe(true)
    expect(back.summary).toEqual(model.summary)
    expect(await readdir(dir)).toEqual(['best.json'])
  })

  it('refuses a model with NaN before touching the old file', async () => {
    const path = join(dir, 'best.json')
    await saveModel(path, validModel())
    const before = await readFile(path)
    const bad = validModel()
    bad.params[0].data[5] = NaN
    await expect(saveModel(path, bad)).rejects.toMatchObject({
      name: 'ModelFileError',
      message: 'best.json: params.W1.data[5]: value is NaN, expected a finite number',
    })
    expect((await readFile(path)).equals(before)).toBe(true)
    expect(await readdir(dir)).toEqual(['best.json'])
  })

  it('reports a missing folder, naming the path', async () => {
    const path = join(dir, 'missing', 'best.json')
    await expect(saveModel(path, validModel())).rejects.toMatchObject({
      name: 'ModelStoreError',
      message: `cannot write ${path}: folder does not exist`,
      code: 'ENOENT',
      path,
    })
  })

  it.skipIf(isRoot)('reports a folder without write permission and keeps the old file', async () => {
    const path = join(dir, 'best.json')
    await saveModel(path, validModel())
    const before = await readFile(path)
    await chmod(dir, 0o500)
    await expect(saveModel(path, validModel('2025-02-01T00:00:00Z'))).rejects.toMatchObject({
      name: 'ModelStoreError',
      message: `cannot write ${path}: permission denied`,
    })
    await chmod(dir, 0o700)
    expect((await readFile(path)).equals(before)).toBe(true)
    expect(await readdir(dir)).toEqual(['best.json'])
  })

  it('reports a path through a file', async () => {
    await writeFile(join(dir, 'file.txt'), 'x')
    const path = join(dir, 'file.txt', 'best.json')
    await expect(saveModel(path, validModel())).rejects.toMatchObject({
      name: 'ModelStoreError',
      message: `cannot write ${path}: a part of the path is not a folder`,
      code: 'ENOTDIR',
    })
  })

  it('reports a missing file', async () => {
    const path = join(dir, 'nope.json')
    await expect(loadModel(path)).rejects.toMatchObject({ name: 'ModelStoreError', message: `cannot read ${path}: file not found`, code: 'ENOENT' })
  })

  it('refuses a file over the size cap without reading it', async () => {
    const path = join(dir, 'huge.json')
    await writeFile(path, '')
    await truncate(path, MODEL_MAX_BYTES + 1) // sparse: no disk space used
    const probe = await open(path, 'r')
    const fileHandleProto = Object.getPrototypeOf(probe) as { readFile: () => Promise<Buffer> }
    await probe.close()
    const readSpy = vi.spyOn(fileHandleProto, 'readFile')
    try {
      await expect(loadModel(path)).rejects.toMatchObject({
        name: 'ModelFileError',
        message: `huge.json: file is too large: ${MODEL_MAX_BYTES + 1} bytes (the limit is ${MODEL_MAX_BYTES})`,
      })
      expect(readSpy).not.toHaveBeenCalled()
    } finally {
      readSpy.mockRestore()
    }
  })

  it('refuses bytes that are not UTF-8 and accepts a leading BOM', async () => {
    const path = join(dir, 'best.json')
    await saveModel(path, validModel())
    const text = await readFile(path)
    await writeFile(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text]))
    await expect(loadModel(path)).resolves.toMatchObject({ format: MODEL_FORMAT })
    await writeFile(path, Buffer.concat([text.subarray(0, 20), Buffer.from([0xff]), text.subarray(20)]))
    await expect(loadModel(path)).rejects.toMatchObject({ name: 'ModelFileError', message: 'best.json: not valid UTF-8 text' })
  })

  it('names the file in parse errors', async () => {
    const path = join(dir, 'broken.json')
    await writeFile(path, '{"format": "backprop-studio-model", "version": 2}')
    await expect(loadModel(path)).rejects.toMatchObject({
      name: 'ModelFileError',
      message: 'broken.json: version: unsupported version 2 (this app reads version 1)',
    })
  })
})

describe('listModels', () => {
  it('lists models newest first, skipping broken and non-model files', async () => {
    await saveModel(join(dir, 'old.json'), validModel('2024-06-01T00:00:00.000Z', 0.5))
    await saveModel(join(dir, 'new.json'), validModel('2025-06-01T00:00:00.000Z', 0.97))
    await saveModel(join(dir, 'mid.json'), validModel('2025-01-01T12:00:00+02:00', 0.8))
    await writeFile(join(dir, 'broken.json'), '{"format": ')
    await writeFile(join(dir, 'other.json'), '{"name": "package"}')
    await writeFile(join(dir, 'notes.txt'), 'hello')
    await mkdir(join(dir, 'folder.json'))
    // mtime must not matter: make the oldest model the most recently touched file.
    await utimes(join(dir, 'old.json'), new Date(), new Date())

    const list = await listModels(dir)
    expect(list.map((m) => m.name)).toEqual(['new', 'mid', 'old'])
    expect(list[0]).toEqual({
      path: join(dir, 'new.json'),
      name: 'new',
      savedAt: '2025-06-01T00:00:00.000Z',
      testAcc: 0.97,
      sizeBytes: (await stat(join(dir, 'new.json'))).size,
    })
  })

  it('returns an empty list for an empty folder and an error for a missing one', async () => {
    expect(await listModels(dir)).toEqual([])
    const missing = join(dir, 'missing')
    await expect(listModels(missing)).rejects.toMatchObject({ name: 'ModelStoreError', message: `cannot list ${missing}: folder does not exist` })
  })
})
