import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { BACKEND_METHODS, type BackendEvent, type BackpropApi, type Envelope } from '../../../shared/ipc'

/** What the preload does with Electron, recorded by a stand-in for the 'electron' module. */
const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  channels: new Map<string, (event: unknown, ...args: unknown[]) => void>(),
  invoke: null as unknown as (channel: string, payload: unknown) => Promise<unknown>,
}))

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => { electron.exposed.set(key, value) } },
  ipcRenderer: {
    on: (channel: string, fn: (event: unknown, ...args: unknown[]) => void) => { electron.channels.set(channel, fn) },
    invoke: (channel: string, payload: unknown) => electron.invoke(channel, payload),
  },
}))

let api: BackpropApi

beforeAll(async () => {
  await import('../../../electron/preload/index')
  api = electron.exposed.get('api') as BackpropApi
})

describe('preload', () => {
  it('exposes window.api and nothing else', () => {
    expect([...electron.exposed.keys()]).toEqual(['api'])
    expect(Object.keys(api).sort()).toEqual([...BACKEND_METHODS, 'nativeDialogs', 'onEvent', 'platform'].sort())
    expect(api.platform).toBe('electron')
    expect(api.nativeDialogs).toBe(true)
  })

  it('invokes each method on its own channel and unwraps the Envelope', async () => {
    const seen: [string, unknown][] = []
    electron.invoke = async (channel, payload): Promise<Envelope<unknown>> => {
      seen.push([channel, payload])
      return { ok: true, value: { echoed: payload } }
    }
    await expect(api.predict({ indices: [3, 4] })).resolves.toEqual({ echoed: { indices: [3, 4] } })
    await api.getDataset({})
    expect(seen).toEqual([['backend:predict', { indices: [3, 4] }], ['backend:getDataset', {}]])
  })

  it('rejects with the error\'s name and message as plain fields, which survive contextBridge', async () => {
    electron.invoke = async (): Promise<Envelope<unknown>> => ({ ok: false, error: { name: 'ModelFileError', message: 'm.json: format: missing' } })
    const rejection = await api.openModel({ path: '/m.json' }).catch((e: unknown) => e)
    expect(rejection).toEqual({ name: 'ModelFileError', message: 'm.json: format: missing' })
    expect(Object.getPrototypeOf(rejection)).toBe(Object.prototype)
  })

  it('delivers back-end events to subscribers, without the IPC event, until they unsubscribe', () => {
    const relay = electron.channels.get('backend-event')
    expect(relay).toBeTypeOf('function')
    const got: BackendEvent[] = []
    const args: number[] = []
    const off = api.onEvent((...a: unknown[]) => { args.push(a.length); got.push(a[0] as BackendEvent) })
    const ipcEvent = { sender: { send: () => undefined }, senderFrame: {} }
    relay?.(ipcEvent, { type: 'menu', action: 'save-model' })
    off()
    relay?.(ipcEvent, { type: 'menu', action: 'open-model' })
    expect(got).toEqual([{ type: 'menu', action: 'save-model' }])
    expect(args).toEqual([1])
  })

  it('is bundled as CommonJS that requires nothing but electron', async () => {
    // built by `npm test` (electron-vite build) before vitest runs
    const bundle = await readFile(join(import.meta.dirname, '../../../out/preload/index.cjs'), 'utf8')
    const required = [...bundle.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1])
    expect(new Set(required)).toEqual(new Set(['electron']))
    expect(bundle).not.toMatch(/^\s*import\s|^\s*export\s/m)
    expect(bundle).not.toContain('process.env')
  })
})
