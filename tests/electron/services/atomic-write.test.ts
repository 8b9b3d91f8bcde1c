import { execFileSync } from 'node:child_process'
import { constants } from 'node:fs'
import { chmod, link, lstat, mkdir, mkdtemp, open, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { AtomicWriteError, atomicWriteFile } from '../../../electron/services/atomic-write'
import { FileKindError } from '../../../electron/services/file-kind-error'

/** rename fails with these codes, one per call, before the real rename runs. */
const renameFaults = vi.hoisted(() => ({ codes: [] as string[], calls: 0 }))

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>()
  return {
    ...actual,
    rename: async (from: string, to: string): Promise<void> => {
      renameFaults.calls++
      const code = renameFaults.codes.shift()
      if (code) throw Object.assign(new Error(`${code}: simulated`), { code })
      return actual.rename(from, to)
    },
  }
})

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'atomic-write-'))
  renameFaults.codes = []
  renameFaults.calls = 0
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('atomicWriteFile', () => {
  it('creates and replaces a file, leaving no temp files', async () => {
    const path = join(dir, 'model.json')
    await atomicWriteFile(path, 'first')
    expect(await readFile(path, 'utf8')).toBe('first')
    await atomicWriteFile(path, new Uint8Array([1, 2, 3]))
    expect(new Uint8Array(await readFile(path))).toEqual(new Uint8Array([1, 2, 3]))
    expect(await readdir(dir)).toEqual(['model.json'])
  })

  it('writes strings as UTF-8', async () => {
    const path = join(dir, 'model.json')
    await atomicWriteFile(path, 'ü→✓')
    expect(await readFile(path, 'utf8')).toBe('ü→✓')
  })

  it('retries a rename refused by a busy file (Windows)', async () => {
    const path = join(dir, 'model.json')
    await writeFile(path, 'old')
    renameFaults.codes = ['EPERM', 'EBUSY', 'EACCES']
    await atomicWriteFile(path, 'new')
    expect(renameFaults.calls).toBe(4)
    expect(await readFile(path, 'utf8')).toBe('new')
    expect(await readdir(dir)).toEqual(['model.json'])
  })

  it('gives up after a few retries, removing the temp file and keeping the old one', async () => {
    const path = join(dir, 'model.json')
    await writeFile(path, 'old')
    renameFaults.codes = Array<string>(10).fill('EPERM')
    await expect(atomicWriteFile(path, 'new')).rejects.toMatchObject({ code: 'EPERM' })
    expect(renameFaults.calls).toBe(6)
    expect(await readFile(path, 'utf8')).toBe('old')
    expect(await readdir(dir)).toEqual(['model.json'])
  })

  it('does not retry other errors', async () => {
    const path = join(dir, 'model.json')
    renameFaults.codes = ['EXDEV']
    await expect(atomicWriteFile(path, 'new')).rejects.toMatchObject({ code: 'EXDEV' })
    expect(renameFaults.calls).toBe(1)
    expect(await readdir(dir)).toEqual([])
  })

  it('refuses a folder at the target', async () => {
    const path = join(dir, 'model.json')
    await mkdir(path)
    await writeFile(join(path, 'keep'), 'x')
    await expect(atomicWriteFile(path, 'new')).rejects.toMatchObject({
      name: 'FileKindError',
      message: `${path}: not a regular file (a folder)`,
    })
    expect(renameFaults.calls).toBe(0)
    expect(await readdir(dir)).toEqual(['model.json'])
    expect(await readdir(path)).toEqual(['keep'])
  })

  it('fails without side effects when the folder is missing', async () => {
    await expect(atomicWriteFile(join(dir, 'nope', 'model.json'), 'x')).rejects.toMatchObject({ code: 'ENOENT' })
    expect(await readdir(dir)).toEqual([])
  })
})

const posix = process.platform !== 'win32'

describe('atomicWriteFile and what is at the target', () => {
  it.skipIf(!posix)('refuses a FIFO and leaves it in place', async () => {
    const path = join(dir, 'model.json')
    execFileSync('mkfifo', [path])
    const error = await atomicWriteFile(path, 'new').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(FileKindError)
    expect(error).toMatchObject({ message: `${path}: not a regular file (a FIFO)` })
    expect((await lstat(path)).isFIFO()).toBe(true)
    expect(await readdir(dir)).toEqual(['model.json'])
  })

  it.skipIf(!posix)('refuses a socket', async () => {
    const path = join(dir, 'model.sock')
    const server: Server = createServer()
    await new Promise<void>((resolve) => server.listen(path, resolve))
    try {
      await expect(atomicWriteFile(path, 'new')).rejects.toMatchObject({ name: 'FileKindError', message: `${path}: not a regular file (a socket)` })
      expect((await lstat(path)).isSocket()).toBe(true)
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })

  it.skipIf(!posix)('refuses a symbolic link to a FIFO, leaving link and FIFO alone', async () => {
    const fifo = join(dir, 'pipe')
    execFileSync('mkfifo', [fifo])
    const path = join(dir, 'model.json')
    await symlink(fifo, path)
    await expect(atomicWriteFile(path, 'new')).rejects.toMatchObject({ name: 'FileKindError', message: `${path}: not a regular file (a FIFO)` })
    expect((await lstat(path)).isSymbolicLink()).toBe(true)
    expect((await lstat(fifo)).isFIFO()).toBe(true)
    // nothing was opened on the FIFO: a non-blocking write end finds no reader
    await expect(open(fifo, constants.O_WRONLY | constants.O_NONBLOCK)).rejects.toMatchObject({ code: 'ENXIO' })
  })

  it.skipIf(!posix)('keeps the permission bits of the file it replaces', async () => {
    const path = join(dir, 'secret.json')
    await writeFile(path, 'old')
    await chmod(path, 0o600)
    await atomicWriteFile(path, 'new')
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    await chmod(path, 0o640)
    await atomicWriteFile(path, 'newer')
    expect((await stat(path)).mode & 0o777).toBe(0o640)
    expect(await readFile(path, 'utf8')).toBe('newer')
  })

  it.skipIf(!posix)('gives a new file the default mode (0666 less the umask)', async () => {
    const path = join(dir, 'fresh.json')
    await atomicWriteFile(path, 'x')
    expect((await stat(path)).mode & 0o777).toBe(0o666 & ~process.umask())
  })

  it('writes through a symbolic link to its target, in the target\'s folder', async () => {
    const real = join(dir, 'real')
    await mkdir(real)
    const target = join(real, 'model.json')
    await writeFile(target, 'old')
    if (posix) await chmod(target, 0o600)
    const links = join(dir, 'links')
    await mkdir(links)
    const path = join(links, 'model.json')
    await symlink('../real/model.json', path)

    await atomicWriteFile(path, 'new')
    expect((await lstat(path)).isSymbolicLink()).toBe(true)
    expect(await readFile(target, 'utf8')).toBe('new')
    expect(await readFile(path, 'utf8')).toBe('new')
    if (posix) expect((await stat(target)).mode & 0o777).toBe(0o600)
    expect(await readdir(real)).toEqual(['model.json'])
    expect(await readdir(links)).toEqual(['model.json'])
  })

  it('refuses a symbolic link to nothing', async () => {
    const path = join(dir, 'model.json')
    await symlink(join(dir, 'missing', 'model.json'), path)
    const error = await atomicWriteFile(path, 'new').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AtomicWriteError)
    expect(error).toMatchObject({ message: `${path}: a symbolic link to a file that does not exist` })
    expect((await lstat(path)).isSymbolicLink()).toBe(true)
    expect(await readdir(dir)).toEqual(['model.json'])
  })

  it('refuses a hard-linked file rather than break the link', async () => {
    const path = join(dir, 'model.json')
    const other = join(dir, 'backup.json')
    await writeFile(path, 'old')
    await link(path, other)
    const error = await atomicWriteFile(path, 'new').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AtomicWriteError)
    expect(error).toMatchObject({ name: 'AtomicWriteError', path })
    expect((error as Error).message).toMatch(/has 2 hard links/)
    expect(await readFile(path, 'utf8')).toBe('old')
    const [a, b] = await Promise.all([stat(path), stat(other)])
    expect(a.ino).toBe(b.ino)
    expect(a.nlink).toBe(2)
    expect((await readdir(dir)).sort()).toEqual(['backup.json', 'model.json'])
  })
})
