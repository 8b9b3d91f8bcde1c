/** The one window: restored where it was, shown once painted, its bounds saved as they change. */
import { BrowserWindow, nativeTheme, screen } from 'electron'
import { mainWindowOptions } from './window-options'
import { loadWindowState, restoreBounds, saveWindowState, type WindowState } from './window-state'

/** Moving or resizing fires many events; the file is written once they settle. */
const SAVE_DELAY_MS = 500

export interface MainWindow {
  win: BrowserWindow
  /** Writes the current bounds now (on close), instead of after the delay. */
  saveState(): Promise<void>
}

export async function createMainWindow(options: { preload: string; stateFile: string; devTools: boolean }): Promise<MainWindow> {
  const saved = await loadWindowState(options.stateFile)
  const workAreas = screen.getAllDisplays().map((d) => d.workArea)
  const restored = restoreBounds(saved, workAreas, screen.getPrimaryDisplay().workArea)
  const win = new BrowserWindow(mainWindowOptions({
    preload: options.preload,
    bounds: restored.bounds,
    dark: nativeTheme.shouldUseDarkColors,
    devTools: options.devTools,
  }))
  win.once('ready-to-show', () => {
    if (restored.maximized) win.maximize()
    win.show()
  })

  let timer: NodeJS.Timeout | undefined
  let last = ''
  const current = (): WindowState => ({ bounds: win.getNormalBounds(), maximized: win.isMaximized() })
  const saveState = async (): Promise<void> => {
    clearTimeout(timer)
    if (win.isDestroyed()) return
    const state = current()
    const text = JSON.stringify(state)
    if (text === last) return
    last = text
    // a window state that cannot be written is not worth interrupting the user for
    await saveWindowState(options.stateFile, state).catch(() => undefined)
  }
  const scheduleSave = (): void => {
    clearTimeout(timer)
    timer = setTimeout(() => { void saveState() }, SAVE_DELAY_MS)
  }
  win.on('resize', scheduleSave)
  win.on('move', scheduleSave)
  win.on('maximize', scheduleSave)
  win.on('unmaximize', scheduleSave)
  win.on('closed', () => clearTimeout(timer))
  return { win, saveState }
}
