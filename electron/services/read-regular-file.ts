import { constants } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { FileKindError } from './file-kind-error'

/** How long one stat, open or read may take; a stalled network share or drive fails rather than hangs. */
const READ_TIMEOUT_MS = 10_000

/** One read call's size: each chunk has the whole timeout, whatever the file's size. */
const CHUNK_BYTES = 8 * 1024 * 1024

/**
 * O_NONBLOCK: should the path turn into a FIFO between stat and open, the open returns at once
 * instead of waiting for a writer. O_NOCTTY: a terminal device never becomes the controlling one.
 * Windows has neither flag (its constants lack them), and no FIFOs to open.
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0)

export interface ReadRegularFileOptions {
  /** A larger file is refused before any byte of it is read. */
  maxBytes: number
  /** The limit for each file-system call, in ms; default READ_TIMEOUT_MS. */
  timeoutMs?: number
  /** Read into a SharedArrayBuffer, so worker threads can view the bytes without a copy. */
  shared?: boolean
}

/** A file over the caller's size cap. `size` is the size on disk. */
export class FileTooLargeError extends Error {
  override readonly name = 'FileTooLargeError'
  readonly path: string
  readonly size: number
  readonly maxBytes: number
  readonly problem: string

  constructor(path: string, size: number, maxBytes: number) {
    const problem = `file is too large: ${size} bytes (the limit is ${maxBytes})`
    super(`${path}: ${problem}`)
    this.path = path
    this.size = size
    this.maxBytes = maxBytes
    this.problem = problem
  }
}

/** The file system did not answer in time, e.g. a stalled network share. */
export class FileReadTimeoutError extends Error {
  override readonly name = 'FileReadTimeoutError'
  readonly path: string
  readonly problem: string

  constructor(path: string, timeoutMs: number) {
    const problem = `the file system did not answer within ${timeoutMs / 1000} s`
    super(`${path}: ${problem}`)
    this.path = path
    this.problem = problem
  }
}

/**
 * The bytes of the regular file at `path` (a symbolic link to a regular file counts as one).
 * A folder, device, FIFO or socket is refused with FileKindError before it is opened: a blocking
 * open of a FIFO holds one of libuv's four threadpool threads until a writer appears, so four such
 * opens stall all file I/O of the process, and /dev/zero never ends. The opened handle is checked
 * again (the path may have been swapped since stat), and the size cap is applied to what was
 * opened. A file that grows while it is read is read up to the size it had when opened.
 */
export async function readRegularFile(path: string, options: ReadRegularFileOptions): Promise<Uint8Array> {
  const timeoutMs = options.timeoutMs ?? READ_TIMEOUT_MS
  const before = await withTimeout(stat(path), timeoutMs, path)
  if (!before.isFile()) throw new FileKindError(path, before)
  const handle = await withTimeout(open(path, OPEN_FLAGS), timeoutMs, path, (late) => {
    late.close().catch(() => undefined)
  })
  let timedOut = false
  try {
    const stats = await withTimeout(handle.stat(), timeoutMs, path)
    if (!stats.isFile()) throw new FileKindError(path, stats)
    if (stats.size > options.maxBytes) throw new FileTooLargeError(path, stats.size, options.maxBytes)
    const size = stats.size
    const bytes = new Uint8Array(options.shared ? new SharedArrayBuffer(size) : new ArrayBuffer(size))
    let at = 0
    while (at < size) {
      const { bytesRead } = await withTimeout(handle.read(bytes, at, Math.min(CHUNK_BYTES, size - at), at), timeoutMs, path)
      if (bytesRead === 0) break
      at += bytesRead
    }
    return at === size ? bytes : bytes.subarray(0, at)
  } catch (e) {
    timedOut = e instanceof FileReadTimeoutError
    throw e
  } finally {
    // close() waits for the handle's pending calls, so after a timeout it runs in the background.
    const closing = handle.close().catch(() => undefined)
    if (!timedOut) await closing
  }
}

/**
 * `operation`, or FileReadTimeoutError once `timeoutMs` has passed. The call itself cannot be
 * cancelled; a result that arrives late goes to `discard`, e.g. to close a handle.
 */
function withTimeout<T>(operation: Promise<T>, timeoutMs: number, path: string, discard?: (late: T) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    let expired = false
    const timer = setTimeout(() => {
      expired = true
      reject(new FileReadTimeoutError(path, timeoutMs))
    }, timeoutMs)
    operation.then(
      (value) => {
        if (expired) discard?.(value)
        else {
          clearTimeout(timer)
          resolve(value)
        }
      },
      (e: unknown) => {
        if (expired) return
        clearTimeout(timer)
        reject(e)
      },
    )
  })
}
