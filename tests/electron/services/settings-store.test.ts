import { execFileSync } from 'node:child_process'
import { constants } from 'node:fs'
import { lstat, mkdtemp, open, readFile, rm, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SettingsStore } from '../../../electron/services/settings-store'

interface Recent {
  paths: string[]
}

function parseRecent(raw: unknown): Recent {
  if (typeof raw !== 'object' || raw === null || !Array.isArray((raw as Recent).paths)) throw new Error('not settings')
  return { paths: (raw as Recent).paths.filter((p): p is string => typeof p === 'string') }
}

const FALLBACK: Recent = { paths: [] }

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'settings-store-'))
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('SettingsStore', () => {
  it('writes an update and reads it back in a new store', async () => {
    const file = join(dir, 'nested', 'recent.json')
    const store = new SettingsStore(file, parseRecent, FALLBACK)
    expect(await store.get()).toEqual(FALLBACK)
    await store.update((r) => ({ paths: ['/a.json', ...r.paths] }))
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ paths: ['/a.json'] })
    expect(await new SettingsStore(file, parseRecent, FALLBACK).get()).toEqual({ paths: ['/a.json'] })
  })

  it('falls back on a file over the size cap or one that does not parse', async () => {
    const big = join(dir, 'big.json')
    await writeFile(big, '')
    await truncate(big, 1024 * 1024 + 1)
    expect(await new SettingsStore(big, parseRecent, FALLBACK).get()).toBe(FALLBACK)
    const broken = join(dir, 'broken.json')
    await writeFile(broken, '{"paths": ')
    expect(await new SettingsStore(broken, parseRecent, FALLBACK).get()).toBe(FALLBACK)
  })

  it.skipIf(process.platform === 'win32')('falls back on a FIFO instead of blocking, and refuses to replace it', async () => {
    const file = join(dir, 'recent.json')
    execFileSync('mkfifo', [file])
    try {
      const store = new SettingsStore(file, parseRecent, FALLBACK)
      expect(await store.get()).toBe(FALLBACK)
      await expect(store.update(() => ({ paths: ['/a.json'] }))).rejects.toMatchObject({ name: 'FileKindError' })
      expect((await lstat(file)).isFIFO()).toBe(true)
    } finally {
      // releases a reader that a blocking open would have left waiting for a writer
      const writer = await open(file, constants.O_WRONLY | constants.O_NONBLOCK).catch(() => null)
      await writer?.close()
    }
  })
})
