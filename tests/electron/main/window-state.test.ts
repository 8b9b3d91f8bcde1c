import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  DEFAULT_WINDOW_SIZE, loadWindowState, MIN_WINDOW_SIZE, parseWindowState, restoreBounds, saveWindowState, type Rect,
} from '../../../electron/main/window-state'

const PRIMARY: Rect = { x: 0, y: 0, width: 1920, height: 1040 }
const RIGHT: Rect = { x: 1920, y: 0, width: 1280, height: 984 }

describe('restoreBounds', () => {
  it('keeps bounds that lie on a display', () => {
    const saved = { bounds: { x: 100, y: 80, width: 1200, height: 800 }, maximized: false }
    expect(restoreBounds(saved, [PRIMARY, RIGHT], PRIMARY)).toEqual(saved)
  })

  it('keeps the maximized flag', () => {
    const saved = { bounds: { x: 2000, y: 50, width: 1000, height: 700 }, maximized: true }
    expect(restoreBounds(saved, [PRIMARY, RIGHT], PRIMARY)).toEqual(saved)
  })

  it('centres the default size on the primary display when the saved display is gone', () => {
    const saved = { bounds: { x: 4000, y: 100, width: 1000, height: 700 }, maximized: false }
    const restored = restoreBounds(saved, [PRIMARY], PRIMARY)
    expect(restored.bounds).toEqual({
      x: (PRIMARY.width - DEFAULT_WINDOW_SIZE.width) / 2,
      y: (PRIMARY.height - DEFAULT_WINDOW_SIZE.height) / 2,
      ...DEFAULT_WINDOW_SIZE,
    })
  })

  it('moves a window hanging off an edge fully onto the display it mostly covers', () => {
    const saved = { bounds: { x: 2900, y: 700, width: 1000, height: 700 }, maximized: false }
    const { bounds } = restoreBounds(saved, [PRIMARY, RIGHT], PRIMARY)
    expect(bounds).toEqual({ x: RIGHT.x + RIGHT.width - 1000, y: RIGHT.height - 700, width: 1000, height: 700 })
  })

  it('shrinks a window larger than its display, but not below the minimum', () => {
    const saved = { bounds: { x: 1900, y: -50, width: 3000, height: 2000 }, maximized: false }
    expect(restoreBounds(saved, [RIGHT], PRIMARY).bounds).toEqual({ ...RIGHT })
    const tiny = { bounds: { x: 10, y: 10, width: 200, height: 100 }, maximized: false }
    const grown = restoreBounds(tiny, [PRIMARY], PRIMARY).bounds
    expect(grown.width).toBe(MIN_WINDOW_SIZE.width)
    expect(grown.height).toBe(MIN_WINDOW_SIZE.height)
  })

  it('uses the default when nothing was saved, fitting a small screen', () => {
    const small: Rect = { x: 0, y: 24, width: 1024, height: 744 }
    expect(restoreBounds(null, [small], small)).toEqual({ bounds: { x: 0, y: 24, width: 1024, height: 744 }, maximized: false })
  })
})

describe('window state file', () => {
  let dir: string
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'window-state-')) })
  afterEach(async () => { await rm(dir, { recursive: true, force: true }) })

  it('round-trips through the file', async () => {
    const file = join(dir, 'window-state.json')
    const state = { bounds: { x: -1200, y: 40, width: 1100, height: 760 }, maximized: true }
    await saveWindowState(file, state)
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(state)
    expect(await loadWindowState(file)).toEqual(state)
  })

  it('reads a missing, corrupt or implausible file as nothing saved', async () => {
    expect(await loadWindowState(join(dir, 'none.json'))).toBeNull()
    const file = join(dir, 'bad.json')
    await writeFile(file, '{"bounds":')
    expect(await loadWindowState(file)).toBeNull()
    expect(parseWindowState({ bounds: { x: 0, y: 0, width: -5, height: 10 }, maximized: false })).toBeNull()
    expect(parseWindowState({ bounds: { x: 0.5, y: 0, width: 800, height: 600 }, maximized: false })).toBeNull()
    expect(parseWindowState({ bounds: { x: 0, y: 0, width: 800, height: 600 }, maximized: 'yes' })).toBeNull()
    expect(parseWindowState(null)).toBeNull()
  })
})
