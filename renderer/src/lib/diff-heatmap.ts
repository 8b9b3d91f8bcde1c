import type { Rgb } from './digit-pixels'

/**
 * |Δ| is drawn on a fixed log scale from 10^MIN_EXP to 10^MAX_EXP, the same for every tensor and
 * every run: rounding error (~1e-12) sits at the dark end, a wrong gradient (≳ 1e-4) at the bright end.
 */
export const HEAT_MIN_EXP = -14
export const HEAT_MAX_EXP = 0

/** Viridis at five stops: sequential, readable on light and dark backgrounds, and colour-blind safe. */
const STOPS: readonly Rgb[] = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]]

/** Kinks, whose numerical gradient means nothing: a colour viridis never takes. */
export const KINK_RGB: Rgb = [230, 40, 140]

/** Position of |Δ| on the scale, 0…1; zero and anything below 10^MIN_EXP at 0. */
export function heatPosition(absDiff: number): number {
  if (!(absDiff > 0)) return 0
  const f = (Math.log10(absDiff) - HEAT_MIN_EXP) / (HEAT_MAX_EXP - HEAT_MIN_EXP)
  return Math.min(1, Math.max(0, f))
}

/** The colour of one element: NaN marks a kink. */
export function heatColour(absDiff: number): Rgb {
  if (Number.isNaN(absDiff)) return KINK_RGB
  const f = heatPosition(absDiff) * (STOPS.length - 1)
  const i = Math.min(Math.floor(f), STOPS.length - 2), u = f - i
  const a = STOPS[i], b = STOPS[i + 1]
  return [a[0] + (b[0] - a[0]) * u, a[1] + (b[1] - a[1]) * u, a[2] + (b[2] - a[2]) * u]
}

/** The scale as a CSS gradient, for the legend. */
export function heatLegendGradient(): string {
  const stops = STOPS.map((c, i) => `rgb(${c.join(', ')}) ${(i / (STOPS.length - 1)) * 100}%`)
  return `linear-gradient(to right, ${stops.join(', ')})`
}

/**
 * Where a tensor's elements go on its canvas. A W1 whose rows are the pixels of an input image
 * is drawn as one image-sized tile per hidden unit (its column), so |Δ| lines up with the pixels,
 * tiles 1 px apart; any other tensor as its (rows, cols) matrix, a vector as one row.
 */
export interface HeatmapLayout {
  /** Canvas size in pixels: one pixel per element, plus the gaps between tiles. */
  width: number
  height: number
  /** Tensor rows and columns (a vector: 1 × n). */
  rows: number
  cols: number
  /** Image tiles: pixels per tile row and column, and tiles per canvas row; null for a plain matrix. */
  tile: { rows: number; cols: number; perRow: number } | null
  /** CSS pixels per canvas pixel. */
  scale: number
}

export function heatmapLayout(shape: readonly number[], image?: readonly [number, number]): HeatmapLayout {
  const rows = shape.length > 1 ? shape[0] : 1
  const cols = shape.length > 1 ? shape[1] : shape[0]
  if (image && image[0] * image[1] === rows && rows > 1) {
    const [ir, ic] = image
    const perRow = Math.min(cols, Math.ceil(Math.sqrt(2 * cols)))
    const width = perRow * (ic + 1) - 1, height = Math.ceil(cols / perRow) * (ir + 1) - 1
    return { width, height, rows, cols, tile: { rows: ir, cols: ic, perRow }, scale: Math.max(1, Math.round(560 / width)) }
  }
  return { width: cols, height: rows, rows, cols, tile: null, scale: Math.max(1, Math.min(16, Math.floor(200 / Math.max(rows, cols)))) }
}

/** Canvas pixel (x, y) of element e (row-major index). */
export function elementPixel(l: HeatmapLayout, e: number): [number, number] {
  const i = Math.floor(e / l.cols), j = e % l.cols
  if (!l.tile) return [j, i]
  const t = l.tile
  return [(j % t.perRow) * (t.cols + 1) + (i % t.cols), Math.floor(j / t.perRow) * (t.rows + 1) + Math.floor(i / t.cols)]
}

/** The element drawn at canvas pixel (x, y), or -1 for a gap or outside. */
export function elementAt(l: HeatmapLayout, x: number, y: number): number {
  x = Math.floor(x)
  y = Math.floor(y)
  if (x < 0 || y < 0 || x >= l.width || y >= l.height) return -1
  if (!l.tile) return y * l.cols + x
  const t = l.tile
  const tc = Math.floor(x / (t.cols + 1)), pc = x % (t.cols + 1)
  const tr = Math.floor(y / (t.rows + 1)), pr = y % (t.rows + 1)
  const j = tr * t.perRow + tc
  if (pc === t.cols || pr === t.rows || j >= l.cols) return -1
  return (pr * t.cols + pc) * l.cols + j
}

/** RGBA pixels of the whole canvas; gaps are transparent so the card shows through. */
export function heatmapPixels(absDiff: Float64Array, l: HeatmapLayout): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(l.width * l.height * 4)
  for (let e = 0; e < absDiff.length; e++) {
    const [x, y] = elementPixel(l, e)
    const c = heatColour(absDiff[e]), o = 4 * (y * l.width + x)
    out[o] = c[0]
    out[o + 1] = c[1]
    out[o + 2] = c[2]
    out[o + 3] = 255
  }
  return out
}
