import { describe, expect, it } from 'vitest'
import { secureWebPreferences } from '../../../electron/main/security'
import { mainWindowOptions } from '../../../electron/main/window-options'

const BOUNDS = { x: 0, y: 0, width: 1000, height: 700 }

describe('DevTools', () => {
  it('are off unless asked for, as in a packaged build', () => {
    expect(secureWebPreferences('/p/index.cjs').devTools).toBe(false)
    expect(mainWindowOptions({ preload: '/p/index.cjs', bounds: BOUNDS, dark: false }).webPreferences?.devTools).toBe(false)
    expect(mainWindowOptions({ preload: '/p/index.cjs', bounds: BOUNDS, dark: false, devTools: false }).webPreferences?.devTools).toBe(false)
  })

  it('are on in development, where the app asks for them, with every other preference unchanged', () => {
    const dev = mainWindowOptions({ preload: '/p/index.cjs', bounds: BOUNDS, dark: false, devTools: true }).webPreferences
    expect(dev).toEqual({ ...secureWebPreferences('/p/index.cjs'), devTools: true })
  })
})
