/**
 * The main process's wiring, with Electron and the Backend replaced by recorders: the Electron
 * binary cannot run here, so this is where index.ts is exercised end to end.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { BACKEND_METHODS, type BackendEvent, type Envelope } from '../../../shared/ipc'

const h = await vi.hoisted(async () => {
  // vi.hoisted runs before the imports, so it loads what it needs itself
  const { EventEmitter: Emitter } = await import('node:events')
  class FakeWebContents extends Emitter {
    id = 41
    sent: [string, unknown][] = []
    openHandler: (() => unknown) | null = null
    send(channel: string, payload: unknown): void { this.sent.push([channel, payload]) }
    setWindowOpenHandler(fn: () => unknown): void { this.openHandler = fn }
  }
  class FakeWindow extends Emitter {
    static all: FakeWindow[] = []
    webContents = new FakeWebContents()
    loaded: string[] = []
    progress: [number, unknown][] = []
    destroyed = false
    closeCalls = 0
    constructor(readonly options: Record<string, unknown>) {
      super()
      FakeWindow.all.push(this)
    }
    loadURL(url: string): Promise<void> { this.loaded.push(url); return Promise.resolve() }
    setProgressBar(p: number, o: unknown): void { this.progress.push([p, o]) }
    getNormalBounds() { return { x: 10, y: 20, width: 1000, height: 700 } }
    isMaximized(): boolean { return false }
    isMinimized(): boolean { return false }
    isDestroyed(): boolean { return this.destroyed }
    show(): void {}
    maximize(): void {}
    restore(): void {}
    focus(): void {}
    close(): void {
      this.closeCalls++
      let prevented = false
      this.emit('close', { preventDefault: () => { prevented = true } })
      if (!prevented) this.destroyed = true
    }
  }
  const app = Object.assign(new Emitter(), {
    isPackaged: true,
    name: 'Backprop Studio',
    userData: '',
    quits: 0,
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve(),
    getPath: (_: string) => app.userData,
    getLocale: () => 'en-US',
    quit: () => { app.quits++ },
    exit: (_code: number) => undefined,
  })
  return {
    FakeWindow,
    app,
    schemes: [] as unknown[],
    protocolHandlers: new Map<string, unknown>(),
    ipcHandlers: new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>(),
    menuTemplate: null as unknown,
    messageBoxResponses: [] as number[],
    messageBoxes: [] as unknown[],
    errorBoxes: [] as string[],
    nativeTheme: { themeSource: 'light', shouldUseDarkColors: false },
    sessionCalls: [] as string[],
  }
})

vi.mock('electron', () => ({
  app: h.app,
  BrowserWindow: h.FakeWindow,
  dialog: {
    showMessageBox: async (_win: unknown, options: unknown) => {
      h.messageBoxes.push(options)
      return { response: h.messageBoxResponses.shift() ?? 1 }
    },
    showErrorBox: (title: string, text: string) => { h.errorBoxes.push(`${title}: ${text}`) },
    showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
    showSaveDialog: async () => ({ canceled: true }),
  },
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, payload: unknown) => Promise<unknown>) => { h.ipcHandlers.set(channel, fn) },
    removeHandler: (channel: string) => { h.ipcHandlers.delete(channel) },
  },
  Menu: {
    buildFromTemplate: (template: unknown) => template,
    setApplicationMenu: (menu: unknown) => { h.menuTemplate = menu },
  },
  nativeTheme: h.nativeTheme,
  protocol: {
    registerSchemesAsPrivileged: (schemes: unknown[]) => { h.schemes.push(...schemes) },
    handle: (scheme: string, fn: unknown) => { h.protocolHandlers.set(scheme, fn) },
  },
  screen: {
    getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }],
    getPrimaryDisplay: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }),
  },
  session: {
    defaultSession: {
      setPermissionRequestHandler: () => { h.sessionCalls.push('permission-request') },
      setPermissionCheckHandler: () => { h.sessionCalls.push('permission-check') },
      setDevicePermissionHandler: () => { h.sessionCalls.push('device-permission') },
      webRequest: {
        onBeforeRequest: () => { h.sessionCalls.push('before-request') },
        onHeadersReceived: () => { h.sessionCalls.push('headers-received') },
      },
    },
  },
}))

const backend = vi.hoisted(() => {
  const listeners = new Set<(e: unknown) => void>()
  return {
    listeners,
    options: null as unknown,
    status: { jobId: null, state: 'idle', config: null } as { jobId: string | null; state: string; config: null },
    disposed: 0,
    emit: (e: unknown) => { for (const l of listeners) l(e) },
  }
})

vi.mock('../../../electron/services/backend', () => ({
  Backend: {
    create: async (options: unknown) => {
      backend.options = options
      return {
        onEvent: (l: (e: unknown) => void) => { backend.listeners.add(l); return () => backend.listeners.delete(l) },
        trainingStatus: async () => backend.status,
        currentModel: async () => null,
        getDataset: async () => ({ name: 'fake' }),
        dispose: async () => { backend.disposed++ },
      }
    },
  },
}))

let userData: string
let win: InstanceType<typeof h.FakeWindow>

/** Lets pending promise chains (ready, window creation, close confirmation) run. */
const settle = () => new Promise((r) => setTimeout(r, 20))

beforeAll(async () => {
  userData = await mkdtemp(join(tmpdir(), 'main-index-'))
  h.app.userData = userData
  await import('../../../electron/main/index')
  for (let i = 0; i < 500 && (h.FakeWindow.all[0]?.loaded.length ?? 0) === 0; i++) await settle()
  win = h.FakeWindow.all[0]
})

afterAll(async () => {
  await rm(userData, { recursive: true, force: true })
})

describe('main process', () => {
  it('registers app:// as a privileged scheme and serves the renderer through it', () => {
    expect(h.schemes).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }])
    expect(h.protocolHandlers.has('app')).toBe(true)
    expect(win.loaded).toEqual(['app://studio/index.html'])
  })

  it('hardens the session and follows the OS theme', () => {
    expect(h.sessionCalls.sort()).toEqual(['before-request', 'device-permission', 'headers-received', 'permission-check', 'permission-request'])
    expect(h.nativeTheme.themeSource).toBe('system')
  })

  it('creates one sandboxed window with the preload', () => {
    const prefs = win.options.webPreferences as Record<string, unknown>
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, devTools: false })
    expect(String(prefs.preload)).toMatch(/preload[\\/]index\.cjs$/)
    expect(win.options.show).toBe(false)
  })

  it('guards the window\'s webContents when it is created', () => {
    h.app.emit('web-contents-created', {}, win.webContents)
    let prevented = false
    win.webContents.emit('will-navigate', { url: 'https://evil.example/', preventDefault: () => { prevented = true } })
    expect(prevented).toBe(true)
    expect(win.webContents.openHandler?.()).toEqual({ action: 'deny' })
  })

  it('handles every method on its own channel, only for the app window\'s page', async () => {
    expect([...h.ipcHandlers.keys()].sort()).toEqual(BACKEND_METHODS.map((m) => `backend:${m}`).sort())
    const handler = h.ipcHandlers.get('backend:getDataset')
    const fromApp = { sender: { id: 41 }, senderFrame: { url: 'app://studio/index.html', parent: null } }
    const fromElsewhere = { sender: { id: 99 }, senderFrame: { url: 'app://studio/index.html', parent: null } }
    expect(await handler?.(fromApp, {})).toEqual({ ok: true, value: { name: 'fake' } })
    expect(await handler?.(fromElsewhere, {}) as Envelope<unknown>).toMatchObject({ ok: false, error: { name: 'IpcSenderError' } })
  })

  it('gives the Backend a native file chooser', () => {
    expect((backend.options as { chooseFile?: unknown }).chooseFile).toBeTypeOf('function')
    expect((backend.options as { userDataDir: string }).userDataDir).toBe(userData)
  })

  it('forwards back-end events to the window and drives the taskbar progress bar', () => {
    const progress: BackendEvent = {
      type: 'train-progress', jobId: 'j',
      progress: { iter: 50, totalIters: 100, epoch: 0, elapsedMs: 1, etaMs: 1, itersPerSecond: 1, lossStart: 0, losses: new Float64Array(0), evals: [], state: 'running' },
    }
    backend.emit(progress)
    backend.emit({ type: 'train-failed', jobId: 'j', error: { name: 'E', message: 'm' } })
    expect(win.webContents.sent.map(([channel]) => channel)).toEqual(['backend-event', 'backend-event'])
    expect(win.webContents.sent[0][1]).toBe(progress)
    expect(win.progress).toEqual([[0.5, { mode: 'normal' }], [-1, { mode: 'none' }]])
  })

  it('turns menu commands into menu events for the renderer', () => {
    const file = (h.menuTemplate as { label: string; submenu: { label?: string; click?: () => void }[] }[])
      .find((m) => m.label === '&File')
    file?.submenu.find((i) => i.label === 'Save Model…')?.click?.()
    expect(win.webContents.sent.at(-1)).toEqual(['backend-event', { type: 'menu', action: 'save-model' }])
  })

  it('asks before closing during training, and stays open when the user keeps training', async () => {
    backend.status = { jobId: 'j', state: 'running', config: null }
    h.messageBoxResponses.push(1)
    win.close()
    await expect.poll(() => h.messageBoxes.length).toBe(1)
    await settle()
    expect(win.destroyed).toBe(false)
  })

  it('closes after confirmation, saves the window state and disposes the back end on quit', async () => {
    h.messageBoxResponses.push(0)
    win.close()
    await expect.poll(() => win.destroyed, { timeout: 10_000 }).toBe(true)
    const saved = JSON.parse(await readFile(join(userData, 'window-state.json'), 'utf8'))
    expect(saved).toEqual({ bounds: { x: 10, y: 20, width: 1000, height: 700 }, maximized: false })
    h.app.emit('window-all-closed')
    expect(h.app.quits).toBe(1)
    let prevented = false
    h.app.emit('will-quit', { preventDefault: () => { prevented = true } })
    expect(prevented).toBe(true)
    await expect.poll(() => h.app.quits).toBe(2)
    expect(backend.disposed).toBe(1)
    // the second will-quit, after disposal, lets the app go
    let again = false
    h.app.emit('will-quit', { preventDefault: () => { again = true } })
    expect(again).toBe(false)
    expect(h.errorBoxes).toEqual([])
  })
})
