/**
 * The main window's size, position and maximized flag, kept in userData/window-state.json.
 * Restoring clamps the saved rectangle onto a display that is still there, so a window last seen
 * on an unplugged monitor comes back visible.
 */
import { readFile } from 'node:fs/promises'
import { atomicWriteFile } from '../services/atomic-write'

export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

export interface WindowState {
  /** The normal (not maximized, not minimized) bounds, from getNormalBounds(). */
  bounds: Rect
  maximized: boolean
}

export const DEFAULT_WINDOW_SIZE = { width: 1280, height: 860 } as const
export const MIN_WINDOW_SIZE = { width: 900, height: 620 } as const
/** A corrupt or foreign file this big is not read at all. */
const MAX_STATE_BYTES = 4096

/** The saved state, or null when it is missing, unreadable or not a sane rectangle. */
export function parseWindowState(raw: unknown): WindowState | null {
  if (typeof raw !== 'object' || raw === null) return null
  const { bounds, maximized } = raw as { bounds?: unknown; maximized?: unknown }
  if (typeof bounds !== 'object' || bounds === null || typeof maximized !== 'boolean') return null
  const { x, y, width, height } = bounds as Record<string, unknown>
  const ints = [x, y, width, height]
  if (!ints.every((v) => typeof v === 'number' && Number.isSafeInteger(v))) return null
  const rect = { x, y, width, height } as Rect
  if (rect.width <= 0 || rect.height <= 0 || rect.width > 100_000 || rect.height > 100_000) return null
  return { bounds: rect, maximized }
}

export async function loadWindowState(file: string): Promise<WindowState | null> {
  try {
    const text = await readFile(file, 'utf8')
    if (text.length > MAX_STATE_BYTES) return null
    return parseWindowState(JSON.parse(text))
  } catch {
    return null
  }
}

export async function saveWindowState(file: string, state: WindowState): Promise<void> {
  await atomicWriteFile(file, `${JSON.stringify(state, null, 2)}\n`)
}

/**
 * Where the window opens. With saved bounds: on the display whose work area overlaps them most,
 * shrunk to fit it and moved fully inside it. With none (or none overlapping any display): the
 * default size, centred on the primary display.
 */
export function restoreBounds(saved: WindowState | null, workAreas: readonly Rect[], primary: Rect): WindowState {
  const target = saved ? bestOverlap(saved.bounds, workAreas) : null
  if (!saved || !target) {
    const width = Math.min(DEFAULT_WINDOW_SIZE.width, primary.width)
    const height = Math.min(DEFAULT_WINDOW_SIZE.height, primary.height)
    return {
      bounds: {
        x: primary.x + Math.floor((primary.width - width) / 2),
        y: primary.y + Math.floor((primary.height - height) / 2),
        width,
        height,
      },
      maximized: saved?.maximized ?? false,
    }
  }
  const width = clamp(saved.bounds.width, Math.min(MIN_WINDOW_SIZE.width, target.width), target.width)
  const height = clamp(saved.bounds.height, Math.min(MIN_WINDOW_SIZE.height, target.height), target.height)
  return {
    bounds: {
      x: clamp(saved.bounds.x, target.x, target.x + target.width - width),
      y: clamp(saved.bounds.y, target.y, target.y + target.height - height),
      width,
      height,
    },
    maximized: saved.maximized,
  }
}

function bestOverlap(rect: Rect, areas: readonly Rect[]): Rect | null {
  let best: Rect | null = null
  let bestArea = 0
  for (const area of areas) {
    const w = Math.min(rect.x + rect.width, area.x + area.width) - Math.max(rect.x, area.x)
    const h = Math.min(rect.y + rect.height, area.y + area.height) - Math.max(rect.y, area.y)
    const overlap = w > 0 && h > 0 ? w * h : 0
    if (overlap > bestArea) {
      best = area
      bestArea = overlap
    }
  }
  return best
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, v))
}
