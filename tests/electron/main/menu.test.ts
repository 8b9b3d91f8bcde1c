import type { MenuItemConstructorOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import type { MenuAction } from '../../../shared/ipc'
import { menuTemplate } from '../../../electron/main/menu'

function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? items(item.submenu) : [])])
}

function click(item: MenuItemConstructorOptions | undefined): void {
  (item?.click as (() => void) | undefined)?.()
}

describe('menuTemplate', () => {
  for (const platform of ['linux', 'win32', 'darwin'] as const) {
    it(`sends the File commands as menu actions with their accelerators on ${platform}`, () => {
      const actions: MenuAction[] = []
      const all = items(menuTemplate({ platform, appName: 'Backprop Studio', developer: false, onAction: (a) => actions.push(a) }))
      const byLabel = (label: string) => all.find((i) => i.label === label)
      expect(byLabel('Open Dataset Folder…')?.accelerator).toBe('CmdOrCtrl+Shift+O')
      expect(byLabel('Open Model…')?.accelerator).toBe('CmdOrCtrl+O')
      expect(byLabel('Save Model…')?.accelerator).toBe('CmdOrCtrl+S')
      click(byLabel('Open Dataset Folder…'))
      click(byLabel('Open Model…'))
      click(byLabel('Save Model…'))
      expect(actions).toEqual(['open-dataset', 'open-model', 'save-model'])
      expect(all.filter((i) => i.role === 'quit')).toHaveLength(1)
      expect(all.some((i) => i.role === 'copy' || i.role === 'paste')).toBe(true)
      expect(all.some((i) => i.role === 'toggleDevTools')).toBe(false)
    })
  }

  it('puts Quit in the application menu on macOS and at the end of File elsewhere', () => {
    const mac = menuTemplate({ platform: 'darwin', appName: 'Backprop Studio', developer: false, onAction: () => undefined })
    expect(mac[0].label).toBe('Backprop Studio')
    expect((mac[0].submenu as MenuItemConstructorOptions[]).some((i) => i.role === 'quit')).toBe(true)
    const linux = menuTemplate({ platform: 'linux', appName: 'Backprop Studio', developer: true, onAction: () => undefined })
    const file = linux[0].submenu as MenuItemConstructorOptions[]
    expect(file.at(-1)).toMatchObject({ role: 'quit', accelerator: 'CmdOrCtrl+Q' })
    expect(items(linux).some((i) => i.role === 'toggleDevTools')).toBe(true)
  })
})
