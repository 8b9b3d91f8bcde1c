/**
 * The application menu. File commands do not open dialogs here: they become a 'menu' event for
 * the renderer, which calls the API with a null path, so the back end asks for the file through
 * its chooseFile (the native dialog) and the UI updates exactly as for its own buttons.
 */
import type { MenuItemConstructorOptions } from 'electron'
import type { MenuAction } from '../../shared/ipc'
import { menuMessages } from '../../shared/i18n/menu-messages'
import { shortcutFor } from '../../shared/shortcuts'

export interface MenuOptions {
  platform: NodeJS.Platform
  appName: string
  /** Shows the developer tools entries (unpackaged builds only). */
  developer: boolean
  /** app.getLocale(); Japanese locales get the Japanese labels. */
  locale?: string
  onAction(action: MenuAction): void
}

export function menuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin'
  const m = menuMessages(options.locale ?? 'en')
  // the accelerator comes from shared/shortcuts.ts; single keys are shown, the renderer handles them
  const command = (label: string, action: MenuAction): MenuItemConstructorOptions => {
    const shortcut = shortcutFor(action)
    return { label, accelerator: shortcut.accelerator, registerAccelerator: shortcut.registered, click: () => options.onAction(action) }
  }

  const file: MenuItemConstructorOptions = {
    label: m.file,
    submenu: [
      command(m.openDataset, 'open-dataset'),
      command(m.openModel, 'open-model'),
      command(m.saveModel, 'save-model'),
      // macOS quits from the application menu; elsewhere File ends with Quit
      ...(mac ? [] : [{ type: 'separator' } as const, { role: 'quit', label: m.quit, accelerator: 'CmdOrCtrl+Q' } as const]),
    ],
  }
  const training: MenuItemConstructorOptions = {
    label: m.training,
    submenu: [
      command(m.trainToggle, 'train-toggle'),
      command(m.trainStep, 'train-step'),
      command(m.trainStop, 'train-stop'),
      { type: 'separator' },
      command(m.gradcheck, 'gradcheck'),
    ],
  }
  const help: MenuItemConstructorOptions = {
    label: m.help,
    submenu: [command(m.shortcuts, 'shortcuts')],
  }
  // Edit roles make copy and paste work in text fields on macOS, where they need a menu item.
  const edit: MenuItemConstructorOptions = {
    label: m.edit,
    submenu: [
      { role: 'undo' }, { role: 'redo' }, { type: 'separator' },
      { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' },
    ],
  }
  const view: MenuItemConstructorOptions = {
    label: m.view,
    submenu: [
      command(m.nextTab, 'next-tab'), command(m.prevTab, 'prev-tab'), { type: 'separator' },
      ...(options.developer ? [{ role: 'reload' } as const, { role: 'toggleDevTools' } as const, { type: 'separator' } as const] : []),
      { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  }
  const window: MenuItemConstructorOptions = {
    label: m.window,
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
  return mac ? [app, file, edit, view, training, window, help] : [file, edit, view, training, window, help]
}
