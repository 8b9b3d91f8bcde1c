import { randomBytes } from 'node:crypto'
import { open, rename, rm, type FileHandle } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/** Windows refuses a rename while another program (antivirus, indexer, editor) holds the target. */
const RENAME_RETRY_CODES = new Set(['EPERM', 'EACCES', 'EBUSY'])
const RENAME_RETRIES = 5
const RENAME_FIRST_DELAY_MS = 10

/** Opening or fsyncing a directory is unsupported on Windows and some file systems. */
const DIR_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EPERM', 'EACCES', 'EINVAL', 'ENOTSUP', 'EBADF'])

/**
 * Replace `path` so a reader sees either the old file or the new one, never a mix: the data goes
 * to a temp file in the same folder (rename is atomic only within one file system), is fsynced
 * so the rename cannot reach the disk before the data does, and is then renamed over the target.
 * The directory is fsynced afterwards so the rename itself survives a power loss.
 */
export async function atomicWriteFile(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path)
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
  let handle: FileHandle | undefined
  try {
    // 'wx' fails rather than follows a pre-existing file or symlink at the temp name.
    handle = await open(temp, 'wx')
    await handle.writeFile(data)
    await handle.sync()
    await handle.close()
    handle = undefined
    await renameWithRetry(temp, path)
  } catch (e) {
    await handle?.close().catch(() => undefined)
    await rm(temp, { force: true }).catch(() => undefined)
    throw e
  }
  await syncDirectory(dir)
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
