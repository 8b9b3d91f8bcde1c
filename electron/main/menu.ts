/**
 * The application menu. File commands do not open dialogs here: they become a 'menu' event for
 * the renderer, which calls the API with a null path, so the back end asks for the file through
 * its chooseFile (the native dialog) and the UI updates exactly as for its own buttons.
 */
import type { MenuItemConstructorOptions } from 'electron'
import type { MenuAction } from '../../shared/ipc'

export interface MenuOptions {
  platform: NodeJS.Platform
  appName: string
  /** Shows the developer tools entries (unpackaged builds only). */
  developer: boolean
  onAction(action: MenuAction): void
}

export function menuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin'
  const command = (label: string, accelerator: string, action: MenuAction): MenuItemConstructorOptions => ({
    label, accelerator, click: () => options.onAction(action),
  })

  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      command('Open Dataset Folder…', 'CmdOrCtrl+Shift+O', 'open-dataset'),
      command('Open Model…', 'CmdOrCtrl+O', 'open-model'),
      command('Save Model…', 'CmdOrCtrl+S', 'save-model'),
      // macOS quits from the application menu; elsewhere File ends with Quit
      ...(mac ? [] : [{ type: 'separator' } as const, { role: 'quit', label: 'Quit', accelerator: 'CmdOrCtrl+Q' } as const]),
    ],
  }
  // Edit roles make copy and paste work in text fields on macOS, where they need a menu item.
  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      { role: 'undo' }, { role: 'redo' }, { type: 'separator' },
      { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' },
    ],
  }
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...(options.developer ? [{ role: 'reload' } as const, { role: 'toggleDevTools' } as const, { type: 'separator' } as const] : []),
      { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  }
  const window: MenuItemConstructorOptions = {
    label: '&Window',
    submenu: mac ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }],
  }
  const app: MenuItemConstructorOptions = {
    label: options.appName,
    submenu: [
      { role: 'about' }, { type: 'separator' },
      { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' },
      { role: 'quit' },
    ],
  }
  return mac ? [app, file, edit, view, window] : [file, edit, view, window]
}
