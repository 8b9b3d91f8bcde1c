// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'
import { useColorScheme } from '../../../renderer/src/composables/use-color-scheme'

afterEach(() => { vi.unstubAllGlobals() })

function fakeMedia(dark: boolean) {
  const listeners = new Set<(e: { matches: boolean }) => void>()
  const query = {
    matches: dark,
    addEventListener: (_: string, l: (e: { matches: boolean }) => void) => listeners.add(l),
    removeEventListener: (_: string, l: (e: { matches: boolean }) => void) => listeners.delete(l),
  }
  vi.stubGlobal('matchMedia', () => query)
  return { change: (matches: boolean) => { for (const l of listeners) l({ matches }) }, listeners }
}

describe('useColorScheme', () => {
  it('follows the OS scheme as it changes and stops listening with its scope', () => {
    const media = fakeMedia(true)
    const scope = effectScope()
    const scheme = scope.run(() => useColorScheme())!
    expect(scheme.value).toBe('dark')
    media.change(false)
    expect(scheme.value).toBe('light')
    scope.stop()
    expect(media.listeners.size).toBe(0)
  })
})
