/**
 * Electron's main process: one window, the menu, native dialogs and IPC, all thin. Everything
 * the app does lives in the plain-Node Backend (electron/services), which web mode serves too.
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, protocol, session } from 'electron'
import type { BackendEvent, MenuAction } from '../../shared/ipc'
import { Backend } from '../services/backend'
import { createDispatcher } from '../services/dispatcher'
import { APP_URL, handleAppProtocol, registerAppScheme } from './app-protocol'
import { nativeFileChooser } from './file-dialogs'
import { registerBackendIpc } from './ipc'
import { BACKEND_EVENT_CHANNEL } from './ipc-channels'
import { createMainWindow, type MainWindow } from './main-window'
import { menuTemplate } from './menu'
import { hardenSession, hardenWebContents, isTrustedSender } from './security'
import { progressBarFor } from './taskbar-progress'

const preload = fileURLToPath(new URL('../preload/index.cjs', import.meta.url))
const rendererDir = fileURLToPath(new URL('../renderer/', import.meta.url))
/** electron-vite dev serves the renderer with hot reload; a packaged app never loads a remote URL. */
const devServer = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined
const appUrl = devServer ?? APP_URL

// Before `ready`: the scheme's privileges cannot be granted later.
registerAppScheme(protocol)

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  start().catch((e: unknown) => {
    dialog.showErrorBox('Backprop Studio cannot start', e instanceof Error ? `${e.name}: ${e.message}` : String(e))
    app.exit(1)
  })
}

async function start(): Promise<void> {
  let main: MainWindow | null = null
  const currentWindow = (): BrowserWindow | null => (main && !main.win.isDestroyed() ? main.win : null)

  app.on('second-instance', () => {
    const win = currentWindow()
    if (!win) return
    if (win.isMinimized()) win.restore()
    win.focus()
  })
  // every webContents, including any a bug or a dependency might create, gets the same guards
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, appUrl))

  await app.whenReady()
  nativeTheme.themeSource = 'system'
  hardenSession(session.defaultSession, appUrl)
  if (!devServer) handleAppProtocol(protocol, rendererDir)

  const backend = await Backend.create({
    userDataDir: app.getPath('userData'),
    chooseFile: nativeFileChooser(dialog, currentWindow),
  })
  registerBackendIpc(ipcMain, createDispatcher(backend), (sender) =>
    isTrustedSender(sender, { webContentsId: currentWindow()?.webContents.id ?? null, appUrl }))

  const send = (event: BackendEvent): void => {
    const win = currentWindow()
    if (!win) return
    win.webContents.send(BACKEND_EVENT_CHANNEL, event)
    const bar = progressBarFor(event)
    if (bar) win.setProgressBar(bar.progress, { mode: bar.mode })
  }
  backend.onEvent(send)

  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({
    platform: process.platform,
    appName: app.name,
    developer: !app.isPackaged,
    locale: app.getLocale(),
    onAction: (action: MenuAction) => send({ type: 'menu', action }),
  })))

  app.on('window-all-closed', () => app.quit())
  main = await createMainWindow({
    preload,
    stateFile: join(app.getPath('userData'), 'window-state.json'),
    devTools: !app.isPackaged,
  })
  guardClose(main, backend)
  quitWithBackend(backend)
  main.win.loadURL(appUrl).catch((e: unknown) => {
    dialog.showErrorBox('Backprop Studio', `The window could not load ${appUrl}: ${e instanceof Error ? e.message : String(e)}`)
  })
}

/**
 * Closing the window ends the app. While a job runs (or a trained model is unsaved) the user is
 * asked first; the window state is saved before it goes.
 */
function guardClose({ win, saveState }: MainWindow, backend: Backend): void {
  let confirmed = false
  win.on('close', (event) => {
    if (confirmed) return
    event.preventDefault()
    void confirmClose(win, backend).then(async (ok) => {
      if (!ok || win.isDestroyed()) return
      await saveState()
      confirmed = true
      win.close()
    })
  })
}

/** A modal question whose safe answer is the default; true when the user picks `proceed`. */
async function ask(win: BrowserWindow, type: 'warning' | 'question', title: string, message: string, detail: string, proceed: string, cancel: string): Promise<boolean> {
  const { response } = await dialog.showMessageBox(win, { type, title, message, detail, buttons: [proceed, cancel], defaultId: 1, cancelId: 1, noLink: true })
  return response === 0
}

async function confirmClose(win: BrowserWindow, backend: Backend): Promise<boolean> {
  const [status, model] = await Promise.all([
    backend.trainingStatus({}).catch(() => null),
    backend.currentModel({}).catch(() => null),
  ])
  if (status && status.state !== 'idle') {
    return ask(win, 'warning', 'Training in progress', 'A training job is still running.',
      'Quitting stops it, and the model it has trained so far is lost.', 'Stop Training and Quit', 'Keep Training')
  }
  if (model?.unsaved) {
    return ask(win, 'question', 'Unsaved model', 'The trained model has not been saved.', 'Quitting discards it.', 'Quit Without Saving', 'Cancel')
  }
  return true
}

/** Quitting waits for the back end to stop its jobs and workers and to flush its settings. */
function quitWithBackend(backend: Backend): void {
  let disposed = false
  app.on('will-quit', (event) => {
    if (disposed) return
    event.preventDefault()
    backend.dispose().catch(() => undefined).finally(() => {
      disposed = true
      app.quit()
    })
  })
}
