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

  it('shows the keyboard shortcuts as accelerators, registering only the modifier combinations', () => {
    const actions: MenuAction[] = []
    const all = items(menuTemplate({ platform: 'linux', appName: 'Backprop Studio', developer: false, onAction: (a) => actions.push(a) }))
    const byLabel = (label: string) => all.find((i) => i.label === label)
    const toggle = byLabel('Start / Pause / Resume')
    expect(toggle).toMatchObject({ accelerator: 'T', registerAccelerator: false })
    expect(byLabel('Step One Iteration')).toMatchObject({ accelerator: 'N', registerAccelerator: false })
    expect(byLabel('Stop')).toMatchObject({ accelerator: 'X', registerAccelerator: false })
    expect(byLabel('Run Gradient Check')).toMatchObject({ accelerator: 'G', registerAccelerator: false })
    expect(byLabel('Save Model…')).toMatchObject({ registerAccelerator: true })
    for (const label of ['Start / Pause / Resume', 'Step One Iteration', 'Stop', 'Run Gradient Check', 'Next Tab', 'Previous Tab', 'Keyboard Shortcuts']) click(byLabel(label))
    expect(actions).toEqual(['train-toggle', 'train-step', 'train-stop', 'gradcheck', 'next-tab', 'prev-tab', 'shortcuts'])
  })

  it('takes its labels from the Japanese catalogue for a Japanese locale', () => {
    const template = menuTemplate({ platform: 'win32', appName: 'Backprop Studio', developer: false, locale: 'ja', onAction: () => undefined })
    expect(template.map((m) => m.label)).toEqual(['ファイル(&F)', '編集(&E)', '表示(&V)', '学習(&T)', 'ウィンドウ(&W)', 'ヘルプ(&H)'])
    const all = items(template)
    expect(all.find((i) => i.label === 'モデルを保存…')?.accelerator).toBe('CmdOrCtrl+S')
    expect(all.find((i) => i.label === '勾配確認を実行')?.accelerator).toBe('G')
  })
})
