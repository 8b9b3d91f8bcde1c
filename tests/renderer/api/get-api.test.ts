import { Window } from 'happy-dom'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { BACKEND_METHODS, type BackpropApi } from '../../../shared/ipc'

/** A stand-in for what the preload exposes: every method rejects as the preload does. */
function bridge(): BackpropApi {
  const methods = Object.fromEntries(BACKEND_METHODS.map((m) => [m, async () => {
    throw { name: 'NoModelError', message: `${m}: no model` }
  }]))
  return { ...(methods as unknown as BackpropApi), platform: 'electron', nativeDialogs: true, onEvent: () => () => undefined }
}

afterEach(() => {
  vi.unstubAllGlobals()
  vi.resetModules()
})

describe('getApi', () => {
  it('uses window.api in Electron and turns its rejections back into named Errors', async () => {
    vi.stubGlobal('window', { api: bridge(), location: new URL('app://studio/index.html') })
    const { getApi } = await import('../../../renderer/src/api/get-api')
    const api = getApi()
    expect(api.platform).toBe('electron')
    expect(api.nativeDialogs).toBe(true)
    expect(getApi()).toBe(api)
    const error = await api.saveModel({ path: null }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Error)
    expect(error).toMatchObject({ name: 'NoModelError', message: 'saveModel: no model' })
  })

  it('builds the web client from the page URL\'s token in a browser', async () => {
    const opened: string[] = []
    vi.stubGlobal('window', new Window({ url: 'http://127.0.0.1:5123/?token=abc123' }))
    vi.stubGlobal('EventSource', class {
      onopen = null
      onmessage = null
      onerror = null
      constructor(url: string) { opened.push(url) }
      close(): void {}
    })
    const { getApi } = await import('../../../renderer/src/api/get-api')
    const api = getApi()
    expect(api.platform).toBe('web')
    expect(api.nativeDialogs).toBe(false)
    expect(opened).toEqual(['http://127.0.0.1:5123/api/events?token=abc123'])
    expect(window.location.href).toBe('http://127.0.0.1:5123/')
  })

  it('refuses to start without a token, saying where to find it', async () => {
    vi.stubGlobal('window', new Window({ url: 'http://127.0.0.1:5123/' }))
    const { getApi } = await import('../../../renderer/src/api/get-api')
    expect(() => getApi()).toThrow(expect.objectContaining({ name: 'MissingTokenError', message: expect.stringContaining('npm run web') }))
  })
})
