import { randomBytes } from 'node:crypto'
import type { Stats } from 'node:fs'
import { lstat, open, realpath, rename, rm, stat, type FileHandle } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { FileKindError } from './file-kind-error'

/** Windows refuses a rename while another program (antivirus, indexer, editor) holds the target. */
const RENAME_RETRY_CODES = new Set(['EPERM', 'EACCES', 'EBUSY'])
const RENAME_RETRIES = 5
const RENAME_FIRST_DELAY_MS = 10

/** Opening or fsyncing a directory is unsupported on Windows and some file systems. */
const DIR_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EPERM', 'EACCES', 'EINVAL', 'ENOTSUP', 'EBADF'])

/** A target an atomic replace would damage: a hard-linked file or a link to nothing. */
export class AtomicWriteError extends Error {
  override readonly name = 'AtomicWriteError'
  readonly path: string
  /** The message without the path. */
  readonly problem: string

  constructor(path: string, problem: string) {
    super(`${path}: ${problem}`)
    this.path = path
    this.problem = problem
  }
}

/**
 * Replace `path` so a reader sees either the old file or the new one, never a mix: the data goes
 * to a temp file in the same folder (rename is atomic only within one file system), is fsynced
 * so the rename cannot reach the disk before the data does, and is then renamed over the target.
 * The directory is fsynced afterwards so the rename itself survives a power loss.
 *
 * What is at `path` decides what happens:
 * - nothing: a new file with the default mode (0666 less the umask, usually 0644);
 * - a regular file: replaced, keeping its permission bits (a 0600 file stays 0600);
 * - a symbolic link: written through: the file it resolves to is replaced in that file's own
 *   folder, so the link stays and shows the new content. A link to nothing is refused
 *   (AtomicWriteError) rather than left to create a file in some other folder;
 * - a file with more than one hard link: refused (AtomicWriteError). The rename would give this
 *   name a new inode and leave the other names on the old content, and writing in place instead
 *   would give up atomicity;
 * - a folder, device, FIFO or socket: refused (FileKindError); a rename would destroy it.
 */
export async function atomicWriteFile(path: string, data: string | Uint8Array): Promise<void> {
  const target = await inspectTarget(path)
  const dir = dirname(target.path)
  const temp = join(dir, `.${basename(target.path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
  let handle: FileHandle | undefined
  try {
    // 'wx' fails rather than follows a pre-existing file or symlink at the temp name.
    handle = await open(temp, 'wx')
    if (target.mode !== null) await handle.chmod(target.mode)
    await handle.writeFile(data)
    await handle.sync()
    await handle.close()
    handle = undefined
    await renameWithRetry(temp, target.path)
  } catch (e) {
    await handle?.close().catch(() => undefined)
    await rm(temp, { force: true }).catch(() => undefined)
    throw e
  }
  await syncDirectory(dir)
}

/** The file to replace (a symbolic link resolved) and its permission bits, null when it does not exist yet. */
async function inspectTarget(path: string): Promise<{ path: string; mode: number | null }> {
  let stats: Stats
  try {
    stats = await lstat(path)
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return { path, mode: null }
    throw e
  }
  let real = path
  if (stats.isSymbolicLink()) {
    try {
      real = await realpath(path)
      stats = await stat(real)
    } catch (e) {
      if (errorCode(e) === 'ENOENT') throw new AtomicWriteError(path, 'a symbolic link to a file that does not exist')
      throw e
    }
  }
  if (!stats.isFile()) throw new FileKindError(path, stats)
  if (stats.nlink > 1) {
    throw new AtomicWriteError(path, `the file has ${stats.nlink} hard links; saving would detach this name from the others (save under a new name, or remove the other links)`)
  }
  return { path: real, mode: stats.mode & 0o7777 }
}

async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to)
      return
    } catch (e) {
      if (attempt >= RENAME_RETRIES || !RENAME_RETRY_CODES.has(errorCode(e))) throw e
      await new Promise((resolve) => setTimeout(resolve, RENAME_FIRST_DELAY_MS * 2 ** attempt))
    }
  }
}

async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined
  try {
    handle = await open(dir, 'r')
    await handle.sync()
  } catch (e) {
    if (!DIR_SYNC_UNSUPPORTED.has(errorCode(e))) throw e
  } finally {
    await handle?.close().catch(() => undefined)
  }
}

function errorCode(e: unknown): string {
  return e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : ''
}
