import { Buffer } from 'node:buffer'
import { execFileSync } from 'node:child_process'
import { constants } from 'node:fs'
import { chmod, lstat, mkdtemp, open, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { loadModel, saveModel } from '../../../electron/services/model-store'
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
    const { model: back, sizeBytes } = await loadModel(path)
    expect(sizeBytes).toBe((await stat(path)).size)
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
      message: 'best.json: params.W1.data[5]: value is NaN; must be a finite number',
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
    const fileHandleProto = Object.getPrototypeOf(probe) as { readFile: () => Promise<Buffer>; read: () => Promise<unknown> }
    await probe.close()
    const readFileSpy = vi.spyOn(fileHandleProto, 'readFile')
    const readSpy = vi.spyOn(fileHandleProto, 'read')
    try {
      await expect(loadModel(path)).rejects.toMatchObject({
        name: 'ModelFileError',
        message: `huge.json: file is too large: ${MODEL_MAX_BYTES + 1} bytes (the limit is ${MODEL_MAX_BYTES})`,
      })
      expect(readFileSpy).not.toHaveBeenCalled()
      expect(readSpy).not.toHaveBeenCalled()
    } finally {
      readFileSpy.mockRestore()
      readSpy.mockRestore()
    }
  })

  it.skipIf(process.platform === 'win32')('refuses a FIFO or a device instead of blocking on it', async () => {
    const fifo = join(dir, 'pipe.json')
    execFileSync('mkfifo', [fifo])
    try {
      await expect(loadModel(fifo)).rejects.toMatchObject({
        name: 'ModelStoreError',
        message: `cannot read ${fifo}: not a regular file (a FIFO)`,
      })
      await expect(saveModel(fifo, validModel())).rejects.toMatchObject({
        name: 'ModelStoreError',
        message: `cannot write ${fifo}: not a regular file (a FIFO)`,
      })
      expect((await lstat(fifo)).isFIFO()).toBe(true)
      await expect(loadModel('/dev/zero')).rejects.toMatchObject({
        name: 'ModelStoreError',
        message: 'cannot read /dev/zero: not a regular file (a character device)',
      })
    } finally {
      // releases a reader that a blocking open would have left waiting for a writer
      const writer = await open(fifo, constants.O_WRONLY | constants.O_NONBLOCK).catch(() => null)
      await writer?.close()
    }
  })

  it('refuses bytes that are not UTF-8 and accepts a leading BOM', async () => {
    const path = join(dir, 'best.json')
    await saveModel(path, validModel())
    const text = await readFile(path)
    await writeFile(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text]))
    await expect(loadModel(path)).resolves.toMatchObject({ model: { format: MODEL_FORMAT } })
    await writeFile(path, Buffer.concat([text.subarray(0, 20), Buffer.from([0xff]), text.subarray(20)]))
    await expect(loadModel(path)).rejects.toMatchObject({ name: 'ModelFileError', message: 'best.json: not valid UTF-8 text' })
  })

  it('names the file in parse errors', async () => {
    const path = join(dir, 'broken.json')
    await writeFile(path, '{"format": "backprop-studio-model", "version": 3}')
    await expect(loadModel(path)).rejects.toMatchObject({
      name: 'ModelFileError',
      message: 'broken.json: version: unsupported: version 3 (this app reads versions 1 and 2)',
    })
  })
})

