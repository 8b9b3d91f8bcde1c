/**
 * The constructor options of every BrowserWindow this app opens. Its webPreferences come from
 * secureWebPreferences, and tests check that no `new BrowserWindow(` bypasses this function.
 */
import type { BrowserWindowConstructorOptions } from 'electron'
import { secureWebPreferences } from './security'
import { MIN_WINDOW_SIZE, type Rect } from './window-state'

/** The renderer's --bg in each scheme, shown before the first paint instead of a white flash. */
const BACKGROUND = { light: '#f3f4f7', dark: '#111318' } as const

export function mainWindowOptions(options: { preload: string; bounds: Rect; dark: boolean; devTools?: boolean }): BrowserWindowConstructorOptions {
  return {
    ...options.bounds,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    title: 'Backprop Studio',
    show: false,
    backgroundColor: options.dark ? BACKGROUND.dark : BACKGROUND.light,
    webPreferences: secureWebPreferences(options.preload, { devTools: options.devTools }),
  }
}
