/**
 * The keyboard shortcuts, one table for the renderer (which handles the keys, never while focus is
 * in a text field) and the Electron menu (which shows them as accelerators). Single keys are only
 * displayed in the menu (registerAccelerator: false) so that typing a "t" in a field stays a "t";
 * the file commands keep their usual registered CmdOrCtrl accelerators.
 */
export type ShortcutAction =
  | 'train-toggle' | 'train-step' | 'train-stop' | 'gradcheck'
  | 'next-tab' | 'prev-tab' | 'open-dataset' | 'open-model' | 'save-model' | 'shortcuts'

export interface Shortcut {
  action: ShortcutAction
  /** KeyboardEvent.key, compared case-insensitively. */
  key: string
  /** Ctrl on Windows and Linux, Cmd on macOS. */
  mod: boolean
  shift: boolean
  /** Electron accelerator text for the menu. */
  accelerator: string
  /** The menu registers it with the system (only for modifier combinations). */
  registered: boolean
}

const plain = (action: ShortcutAction, key: string, accelerator = key.toUpperCase()): Shortcut =>
  ({ action, key, mod: false, shift: false, accelerator, registered: false })
const withMod = (action: ShortcutAction, key: string, shift = false): Shortcut =>
  ({ action, key, mod: true, shift, accelerator: `CmdOrCtrl+${shift ? 'Shift+' : ''}${key.toUpperCase()}`, registered: true })

export const SHORTCUTS: readonly Shortcut[] = [
  plain('train-toggle', 't'),
  plain('train-step', 'n'),
  plain('train-stop', 'x'),
  plain('gradcheck', 'g'),
  plain('next-tab', ']'),
  plain('prev-tab', '['),
  withMod('open-dataset', 'o', true),
  withMod('open-model', 'o'),
  withMod('save-model', 's'),
  plain('shortcuts', '?', 'Shift+/'),
]

export function shortcutFor(action: ShortcutAction): Shortcut {
  const found = SHORTCUTS.find((s) => s.action === action)
  if (!found) throw new Error(`no shortcut for ${action}`)
  return found
}

/** The keys as a person reads them, e.g. "Ctrl+Shift+O" or "⌘⇧O" on macOS. */
export function shortcutKeys(s: Shortcut, mac: boolean): string {
  const key = s.key.length === 1 ? s.key.toUpperCase() : s.key
  if (s.action === 'shortcuts') return '?'
  if (!s.mod) return key
  return mac ? `⌘${s.shift ? '⇧' : ''}${key}` : `Ctrl+${s.shift ? 'Shift+' : ''}${key}`
}
