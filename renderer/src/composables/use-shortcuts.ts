import { onScopeDispose, ref } from 'vue'
import { SHORTCUTS, type Shortcut, type ShortcutAction } from '../../../shared/shortcuts'
import type { Studio } from './use-studio'

/** Focus in one of these means the person is typing: no shortcut fires. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== 'function') return false
  const el = target as HTMLElement
  if (el.isContentEditable) return true
  const tag = el.tagName
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true
  if (tag !== 'INPUT') return false
  // checkboxes, radios and buttons take no text; a letter on them is still a shortcut
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes((el as HTMLInputElement).type)
}

/** The shortcut a key press means, or null. Plain-key shortcuts ignore Ctrl/Cmd/Alt combinations. */
export function matchShortcut(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>, mac: boolean): Shortcut | null {
  if (e.altKey) return null
  const mod = mac ? e.metaKey : e.ctrlKey
  const other = mac ? e.ctrlKey : e.metaKey
  if (other) return null
  const key = e.key.toLowerCase()
  return SHORTCUTS.find((s) => s.key === key && s.mod === mod && (s.key === '?' || s.shift === e.shiftKey)) ?? null
}

/**
 * Keyboard shortcuts of shared/shortcuts.ts and the menu commands of the same name, for the
 * whole window. Keys never act while focus is in a text field or a dialog is open. In Electron
 * the menu owns the file commands' accelerators, so the keys handle them only in web mode.
 */
export function useShortcuts(studio: Studio) {
  const helpOpen = ref(false)
  const mac = typeof navigator !== 'undefined' && /mac/i.test(navigator.platform)
  const { training, gradcheck, form, dataset } = studio

  const switchTab = (delta: number) => {
    const tabs = Array.from(document.querySelectorAll<HTMLElement>('nav[role="tablist"] [role="tab"]'))
    if (!tabs.length) return
    const current = tabs.findIndex((t) => t.getAttribute('aria-selected') === 'true')
    const next = tabs[(current + delta + tabs.length) % tabs.length]
    next.click()
    next.focus()
  }

  const run = (action: ShortcutAction) => {
    const state = training.state.value
    const busy = training.starting.value || training.controlling.value
    switch (action) {
      case 'train-toggle':
        if (busy) return
        if (state === 'idle' && form.config.value && dataset.info.value) void studio.train(false)
        else if (state === 'running' || state === 'evaluating') void training.control('pause')
        else if (state === 'paused') void training.control('resume')
        return
      case 'train-step':
        if (!busy && state === 'paused') void training.control('step')
        return
      case 'train-stop':
        if (!busy && state !== 'idle' && state !== 'stopping') void training.control('stop')
        return
      case 'gradcheck':
        studio.tab.value = 'gradcheck'
        if (!gradcheck.running.value) void studio.runGradCheck()
        return
      case 'next-tab': switchTab(1); return
      case 'prev-tab': switchTab(-1); return
      case 'shortcuts': helpOpen.value = !helpOpen.value; return
      default: studio.onMenu(action)
    }
  }

  const onKeydown = (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.isComposing || e.repeat) return
    if (isTypingTarget(e.target)) return
    const shortcut = matchShortcut(e, mac)
    if (!shortcut) return
    if (helpOpen.value && shortcut.action !== 'shortcuts') return
    if (studio.prompt.request.value) return
    if (shortcut.registered && studio.api.platform !== 'web') return
    e.preventDefault()
    run(shortcut.action)
  }

  window.addEventListener('keydown', onKeydown)
  const offMenu = studio.api.onEvent((e) => {
    if (e.type === 'menu' && !['open-dataset', 'open-model', 'save-model'].includes(e.action)) run(e.action)
  })
  onScopeDispose(() => { window.removeEventListener('keydown', onKeydown); offMenu() })

  return { helpOpen, mac, run }
}
