import { execFileSync } from 'node:child_process'
import { constants, type Stats } from 'node:fs'
import { mkdir, mkdtemp, open, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { FileKindError } from '../../../electron/services/file-kind-error'
import { FileReadTimeoutError, FileTooLargeError, readRegularFile } from '../../../electron/services/read-regular-file'

/** Paths whose stat() reports a regular file whatever they are: a swap between stat and open. */
const statLies = vi.hoisted(() => ({ paths: new Set<string>(), regular: null as Stats | null }))

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>()
  return {
    ...actual,
    stat: async (path: string): Promise<Stats> => {
      if (statLies.paths.has(path) && statLies.regular) return statLies.regular
      return actual.stat(path)
    },
  }
})

const posix = process.platform !== 'win32'

let dir: string
const fifos: string[] = []

function makeFifo(name: string): string {
  const path = join(dir, name)
  execFileSync('mkfifo', [path])
  fifos.push(path)
  return path
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'read-regular-file-'))
  statLies.paths.clear()
})

afterEach(async () => {
  // Opening the write end releases any reader a broken implementation left blocked in open().
  for (const fifo of fifos.splice(0)) {
    const writer = await open(fifo, constants.O_WRONLY | constants.O_NONBLOCK).catch(() => null)
    await writer?.close()
  }
  vi.restoreAllMocks()
  await rm(dir, { recursive: true, force: true })
})

describe('readRegularFile', () => {
  it('reads a regular file, and one behind a symbolic link', async () => {
    const path = join(dir, 'data.bin')
    await writeFile(path, Buffer.from([1, 2, 3, 250]))
    expect(await readRegularFile(path, { maxBytes: 4 })).toEqual(new Uint8Array([1, 2, 3, 250]))
    const link = join(dir, 'link.bin')
    await symlink(path, link)
    expect(await readRegularFile(link, { maxBytes: 4 })).toEqual(new Uint8Array([1, 2, 3, 250]))
    expect(await readRegularFile(join(dir, 'data.bin'), { maxBytes: 10 })).toHaveLength(4)
  })

  it('reads into shared memory when asked', async () => {
    const path = join(dir, 'data.bin')
    await writeFile(path, 'abc')
    const bytes = await readRegularFile(path, { maxBytes: 3, shared: true })
    expect(bytes.buffer).toBeInstanceOf(SharedArrayBuffer)
    expect(Buffer.from(bytes).toString()).toBe('abc')
  })

  it('reads an empty file', async () => {
    const path = join(dir, 'empty')
    await writeFile(path, '')
    expect(await readRegularFile(path, { maxBytes: 0 })).toHaveLength(0)
  })

  it.skipIf(!posix)('refuses a character device', async () => {
    await expect(readRegularFile('/dev/zero', { maxBytes: 1024 })).rejects.toMatchObject({
      name: 'FileKindError',
      message: '/dev/zero: not a regular file (a character device)',
      problem: 'not a regular file (a character device)',
    })
  })

  it('refuses a folder', async () => {
    const folder = join(dir, 'folder')
    await mkdir(folder)
    const error = await readRegularFile(folder, { maxBytes: 1024 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(FileKindError)
    expect(error).toMatchObject({ message: `${folder}: not a regular file (a folder)`, path: folder })
  })

  it.skipIf(!posix)('refuses FIFOs, directly or through a link, and many at once leave file I/O free', async () => {
    const fifo = makeFifo('pipe')
    await expect(readRegularFile(fifo, { maxBytes: 1024 })).rejects.toMatchObject({
      name: 'FileKindError',
      message: `${fifo}: not a regular file (a FIFO)`,
    })
    const link = join(dir, 'pipe-link')
    await symlink(fifo, link)
    await expect(readRegularFile(link, { maxBytes: 1024 })).rejects.toThrow(FileKindError)
    // libuv has four threadpool threads: eight blocked opens would leave none for the readFile below.
    const pipes = Array.from({ length: 8 }, (_, i) => makeFifo(`pipe${i}`))
    const results = await Promise.allSettled(pipes.map((p) => readRegularFile(p, { maxBytes: 1024 })))
    expect(results.every((r) => r.status === 'rejected' && r.reason instanceof FileKindError)).toBe(true)
    await writeFile(join(dir, 'after'), 'still works')
    expect(await readFile(join(dir, 'after'), 'utf8')).toBe('still works')
  })

  it.skipIf(!posix)('checks the opened handle: a FIFO swapped in after stat neither blocks nor is read', async () => {
    const regular = join(dir, 'regular')
    await writeFile(regular, 'x')
    const { stat } = await vi.importActual<typeof import('node:fs/promises')>('node:fs/promises')
    statLies.regular = await stat(regular)
    const fifo = makeFifo('swapped')
    statLies.paths.add(fifo)
    await expect(readRegularFile(fifo, { maxBytes: 1024 })).rejects.toMatchObject({
      name: 'FileKindError',
      message: `${fifo}: not a regular file (a FIFO)`,
    })
  })

  it('refuses a file over the cap without reading it', async () => {
    const path = join(dir, 'huge')
    await writeFile(path, '')
    await truncate(path, 1001) // sparse: no disk space used
    const probe = await open(path, 'r')
    const handleProto = Object.getPrototypeOf(probe) as { read: () => Promise<unknown> }
    await probe.close()
    const readSpy = vi.spyOn(handleProto, 'read')
    const error = await readRegularFile(path, { maxBytes: 1000 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(FileTooLargeError)
    expect(error).toMatchObject({ size: 1001, maxBytes: 1000, message: `${path}: file is too large: 1001 bytes (the limit is 1000)` })
    expect(readSpy).not.toHaveBeenCalled()
  })

  it('gives up on a read that never completes', async () => {
    const path = join(dir, 'stalled')
    await writeFile(path, 'never read')
    const probe = await open(path, 'r')
    const handleProto = Object.getPrototypeOf(probe) as { read: () => Promise<unknown> }
    await probe.close()
    // a stalled network share: the read call never settles
    vi.spyOn(handleProto, 'read').mockImplementation(() => new Promise(() => undefined))
    const error = await readRegularFile(path, { maxBytes: 1000, timeoutMs: 50 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(FileReadTimeoutError)
    expect(error).toMatchObject({ path, message: `${path}: the file system did not answer within 0.05 s` })
  })

  it('passes a missing file\'s system error through', async () => {
    await expect(readRegularFile(join(dir, 'nope'), { maxBytes: 10 })).rejects.toMatchObject({ code: 'ENOENT' })
  })
})
