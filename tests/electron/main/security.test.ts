import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { IpcMainInvokeEvent, Session, WebContents } from 'electron'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { BACKEND_METHODS, type Envelope } from '../../../shared/ipc'
import { APP_URL, appResponse } from '../../../electron/main/app-protocol'
import { registerBackendIpc, senderInfo, type IpcHandlerRegistry } from '../../../electron/main/ipc'
import { methodChannel } from '../../../electron/main/ipc-channels'
import {
  denyPermissionCheck, denyPermissionRequest, denyWindowOpen, hardenSession,
  hardenWebContents, isAllowedNavigation, isAllowedRequest, isTrustedSender, navigationGuard,
  secureWebPreferences, withSecurityHeaders, type IpcSenderInfo,
} from '../../../electron/main/security'
import { mainWindowOptions } from '../../../electron/main/window-options'
import { CONTENT_SECURITY_POLICY } from '../../../electron/services/security-headers'

const MAIN_DIR = join(import.meta.dirname, '../../../electron/main')
const DEV_URL = 'http://localhost:5173/'

/** The directives of a CSP string, by name. */
function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
    const [name, ...values] = d.split(/\s+/)
    return [name, values]
  }))
}

function attempt(url: string): { url: string; preventDefault: () => void; prevented: () => boolean } {
  let prevented = false
  return { url, preventDefault: () => { prevented = true }, prevented: () => prevented }
}

describe('webPreferences of every window', () => {
  it('isolates and sandboxes the renderer, without Node, with web security', () => {
    const prefs = secureWebPreferences('/app/out/preload/index.cjs')
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    })
    expect(prefs).not.toHaveProperty('enableBlinkFeatures')
    expect(prefs).not.toHaveProperty('additionalArguments')
  })

  it('is what the main window is created with', () => {
    const options = mainWindowOptions({ preload: '/p/index.cjs', bounds: { x: 1, y: 2, width: 1000, height: 700 }, dark: true })
    expect(options.webPreferences).toEqual(secureWebPreferences('/p/index.cjs'))
    expect(options).toMatchObject({ x: 1, y: 2, width: 1000, height: 700, show: false })
  })

  it('is used by every `new BrowserWindow(` in electron/main', async () => {
    const files = (await readdir(MAIN_DIR)).filter((f) => f.endsWith('.ts'))
    let windows = 0
    for (const file of files) {
      // comments may mention the constructor; only code counts
      const source = (await readFile(join(MAIN_DIR, file), 'utf8')).replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '')
      for (const match of source.matchAll(/new\s+BrowserWindow\s*\(/g)) {
        windows++
        const args = source.slice(match.index + match[0].length, match.index + match[0].length + 40)
        expect(args.trimStart(), `${file}: new BrowserWindow without mainWindowOptions`).toMatch(/^mainWindowOptions\(/)
      }
      expect(source, `${file} must not reach webPreferences around the factory`).not.toMatch(/nodeIntegration:\s*true|contextIsolation:\s*false|sandbox:\s*false|webSecurity:\s*false/)
    }
    expect(windows).toBeGreaterThan(0)
  })
})

describe('content security policy', () => {
  const csp = directives(CONTENT_SECURITY_POLICY)

  it('runs only the app\'s own scripts: no inline code, no eval, no remote hosts', () => {
    expect(csp.get('script-src')).toEqual(["'self'"])
    expect(csp.get('default-src')).toEqual(["'self'"])
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval')
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|\*/)
  })

  it('forbids plugins, base rewriting, form posts and framing', () => {
    expect(csp.get('object-src')).toEqual(["'none'"])
    expect(csp.get('base-uri')).toEqual(["'none'"])
    expect(csp.get('form-action')).toEqual(["'none'"])
    expect(csp.get('frame-ancestors')).toEqual(["'none'"])
  })

  it('replaces a response\'s own CSP, whatever the header case', () => {
    const headers = withSecurityHeaders({ 'content-security-policy': ["script-src *"], 'Content-Type': ['text/html'], etag: 'x' })
    expect(headers['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY])
    expect(headers['content-security-policy']).toBeUndefined()
    expect(headers['Content-Type']).toEqual(['text/html'])
    expect(headers.etag).toEqual(['x'])
  })
})

describe('navigation and new windows', () => {
  it('allows only the app\'s own origin', () => {
    expect(isAllowedNavigation('app://studio/index.html#/train', APP_URL)).toBe(true)
    expect(isAllowedNavigation('app://studio/other.html', APP_URL)).toBe(true)
    for (const url of [
      'https://example.com/', 'http://studio/', 'app://evil/index.html', 'app://studio.evil/index.html',
      'app://studio@evil/index.html', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url', '',
    ]) {
      expect(isAllowedNavigation(url, APP_URL), url).toBe(false)
    }
    expect(isAllowedNavigation('http://localhost:5173/src/x', DEV_URL)).toBe(true)
    expect(isAllowedNavigation('http://localhost:5174/', DEV_URL)).toBe(false)
  })

  it('cancels foreign navigation events and lets the app\'s own through', () => {
    const guard = navigationGuard(APP_URL)
    const away = attempt('https://example.com/')
    guard(away)
    expect(away.prevented()).toBe(true)
    const home = attempt('app://studio/index.html')
    guard(home)
    expect(home.prevented()).toBe(false)
  })

  it('denies every window.open', () => {
    expect(denyWindowOpen()).toEqual({ action: 'deny' })
  })

  it('attaches the guards to a webContents', () => {
    const listeners = new Map<string, (e: { url: string; preventDefault(): void }) => void>()
    let openHandler: (() => unknown) | undefined
    const contents = {
      on: (name: string, fn: (e: { url: string; preventDefault(): void }) => void) => { listeners.set(name, fn) },
      setWindowOpenHandler: (fn: () => unknown) => { openHandler = fn },
    }
    hardenWebContents(contents as unknown as WebContents, APP_URL)
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      const a = attempt('https://attacker.example/')
      listeners.get(name)?.(a)
      expect(a.prevented(), name).toBe(true)
    }
    const webview = attempt('')
    listeners.get('will-attach-webview')?.(webview)
    expect(webview.prevented()).toBe(true)
    expect(openHandler?.()).toEqual({ action: 'deny' })
  })
})

describe('permissions and requests', () => {
  it('denies every permission request and check', () => {
    const callback = vi.fn()
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) {
      denyPermissionRequest(null, permission, callback)
    }
    expect(callback.mock.calls).toEqual(Array(5).fill([false]))
    expect(denyPermissionCheck()).toBe(false)
  })

  it('loads nothing remote', () => {
    expect(isAllowedRequest('app://studio/assets/index.js', APP_URL)).toBe(true)
    expect(isAllowedRequest('devtools://devtools/bundled/x.html', APP_URL)).toBe(true)
    expect(isAllowedRequest('https://cdn.example/lib.js', APP_URL)).toBe(false)
    expect(isAllowedRequest('http://127.0.0.1:8080/', APP_URL)).toBe(false)
    expect(isAllowedRequest('ws://localhost:5173/', DEV_URL)).toBe(true)
    expect(isAllowedRequest('ws://localhost:9999/', DEV_URL)).toBe(false)
  })

  it('installs the deny handlers, the request filter and the CSP header on the session', () => {
    const calls: Record<string, unknown> = {}
    const session = {
      setPermissionRequestHandler: (h: unknown) => { calls.request = h },
      setPermissionCheckHandler: (h: unknown) => { calls.check = h },
      setDevicePermissionHandler: (h: unknown) => { calls.device = h },
      webRequest: {
        onBeforeRequest: (h: unknown) => { calls.before = h },
        onHeadersReceived: (h: unknown) => { calls.headers = h },
      },
    }
    hardenSession(session as unknown as Session, APP_URL)
    expect(calls.request).toBe(denyPermissionRequest)
    expect(calls.check).toBe(denyPermissionCheck)
    expect(calls.device).toBe(denyPermissionCheck)
    const before = calls.before as (d: { url: string }, cb: (r: { cancel: boolean }) => void) => void
    const verdicts: boolean[] = []
    before({ url: 'https://evil.example/x.js' }, (r) => verdicts.push(r.cancel))
    before({ url: 'app://studio/index.html' }, (r) => verdicts.push(r.cancel))
    expect(verdicts).toEqual([true, false])
    const onHeaders = calls.headers as (d: { url: string; responseHeaders?: Record<string, string[]> }, cb: (r: { responseHeaders?: Record<string, string[]> }) => void) => void
    let page: Record<string, string[]> | undefined
    onHeaders({ url: 'app://studio/index.html', responseHeaders: {} }, (r) => { page = r.responseHeaders })
    expect(page?.['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY])
  })
})

describe('IPC sender check', () => {
  const trusted = { webContentsId: 7, appUrl: APP_URL }
  const sender = (over: Partial<IpcSenderInfo> = {}): IpcSenderInfo => ({
    webContentsId: 7, frame: { url: 'app://studio/index.html', isMainFrame: true }, ...over,
  })

  it('accepts the app window\'s top frame showing the app', () => {
    expect(isTrustedSender(sender(), trusted)).toBe(true)
  })

  it('refuses other windows, sub-frames, foreign pages and vanished frames', () => {
    expect(isTrustedSender(sender({ webContentsId: 8 }), trusted)).toBe(false)
    expect(isTrustedSender(sender({ frame: { url: 'app://studio/index.html', isMainFrame: false } }), trusted)).toBe(false)
    expect(isTrustedSender(sender({ frame: { url: 'https://evil.example/', isMainFrame: true } }), trusted)).toBe(false)
    expect(isTrustedSender(sender({ frame: { url: 'file:///tmp/x.html', isMainFrame: true } }), trusted)).toBe(false)
    expect(isTrustedSender(sender({ frame: null }), trusted)).toBe(false)
    expect(isTrustedSender(sender(), { webContentsId: null, appUrl: APP_URL })).toBe(false)
  })

  it('reads the sender from an IPC event, and a disposed frame as none', () => {
    const mainFrame = { url: 'app://studio/index.html', parent: null }
    expect(senderInfo({ sender: { id: 3 }, senderFrame: mainFrame } as unknown as IpcMainInvokeEvent))
      .toEqual({ webContentsId: 3, frame: { url: 'app://studio/index.html', isMainFrame: true } })
    const child = { url: 'app://studio/x', parent: mainFrame }
    expect(senderInfo({ sender: { id: 3 }, senderFrame: child } as unknown as IpcMainInvokeEvent).frame?.isMainFrame).toBe(false)
    const disposed = { get url(): string { throw new Error('Render frame was disposed') }, parent: null }
    expect(senderInfo({ sender: { id: 3 }, senderFrame: disposed } as unknown as IpcMainInvokeEvent).frame).toBeNull()
  })

  it('registers one handler per method and checks the sender before dispatching', async () => {
    const handlers = new Map<string, (event: IpcMainInvokeEvent, payload: unknown) => Promise<unknown>>()
    const registry: IpcHandlerRegistry = {
      handle: (channel, fn) => {
        expect(handlers.has(channel), channel).toBe(false)
        handlers.set(channel, fn)
      },
      removeHandler: (channel) => { handlers.delete(channel) },
    }
    const dispatch = vi.fn(async (method: string, payload: unknown): Promise<Envelope<unknown>> => ({ ok: true, value: { method, payload } }))
    const remove = registerBackendIpc(registry, dispatch, (s) => isTrustedSender(s, trusted))
    expect([...handlers.keys()].sort()).toEqual(BACKEND_METHODS.map(methodChannel).sort())

    const good = { sender: { id: 7 }, senderFrame: { url: 'app://studio/index.html', parent: null } } as unknown as IpcMainInvokeEvent
    const evil = { sender: { id: 7 }, senderFrame: { url: 'https://evil.example/', parent: null } } as unknown as IpcMainInvokeEvent
    const refused = await handlers.get(methodChannel('openModel'))?.(evil, { path: '/etc/passwd' })
    expect(refused).toMatchObject({ ok: false, error: { name: 'IpcSenderError' } })
    expect(dispatch).not.toHaveBeenCalled()
    const answered = await handlers.get(methodChannel('predict'))?.(good, { indices: [1] })
    expect(answered).toEqual({ ok: true, value: { method: 'predict', payload: { indices: [1] } } })
    remove()
    expect(handlers.size).toBe(0)
  })
})

describe('app:// protocol', () => {
  let root: string
  let rendererDir: string

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'app-protocol-'))
    rendererDir = join(root, 'renderer')
    await mkdir(join(rendererDir, 'assets'), { recursive: true })
    await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>app</title>')
    await writeFile(join(rendererDir, 'assets', 'a.js'), 'export {}')
    await writeFile(join(root, 'secret.txt'), 'top secret')
  })

  afterAll(async () => {
    await rm(root, { recursive: true, force: true })
  })

  it('serves the renderer with its MIME type and the CSP header', async () => {
    const page = await appResponse(rendererDir, new Request(APP_URL))
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    expect(await page.text()).toContain('<title>app</title>')
    const script = await appResponse(rendererDir, new Request('app://studio/assets/a.js'))
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
  })

  it('refuses traversal, other hosts and writes', async () => {
    for (const url of ['app://studio/%2e%2e/secret.txt', 'app://studio/assets/..%2F..%2Fsecret.txt', 'app://studio/..%5Csecret.txt']) {
      const reply = await appResponse(rendererDir, new Request(url))
      // the URL parser already folds %2e%2e into `..` and resolves it, leaving a missing file
      expect([403, 404], url).toContain(reply.status)
      expect(await reply.text()).not.toContain('top secret')
    }
    expect((await appResponse(rendererDir, new Request('app://other/index.html'))).status).toBe(404)
    expect((await appResponse(rendererDir, new Request(APP_URL, { method: 'POST', body: 'x' }))).status).toBe(405)
  })
})
