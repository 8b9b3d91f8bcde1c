import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { atomicWriteFile } from '../../../electron/services/atomic-write'

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

  it('removes the temp file when the rename itself fails', async () => {
    // A non-empty folder at the target path: rename of a file over it fails on every platform.
    const path = join(dir, 'model.json')
    await mkdir(path)
    await writeFile(join(path, 'keep'), 'x')
    await expect(atomicWriteFile(path, 'new')).rejects.toHaveProperty('code')
    expect(await readdir(dir)).toEqual(['model.json'])
    expect(await readdir(path)).toEqual(['keep'])
  })

  it('fails without side effects when the folder is missing', async () => {
    await expect(atomicWriteFile(join(dir, 'nope', 'model.json'), 'x')).rejects.toMatchObject({ code: 'ENOENT' })
    expect(await readdir(dir)).toEqual([])
  })
})
