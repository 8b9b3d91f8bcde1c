import type { Rgb } from './digit-pixels'

/** Negative weights in blue, positive in red (ColorBrewer RdBu's ends); 0 is the paper colour. */
export const NEGATIVE_RGB: Rgb = [33, 102, 172]
export const POSITIVE_RGB: Rgb = [178, 24, 43]

/** A grid of image-sized tiles, one per unit, 1 px apart. */
export interface TileGrid {
  tileRows: number
  tileCols: number
  perRow: number
  tiles: number
  width: number
  height: number
}

/** Tiles of rows × cols pixels laid out about 3:2, at most `perRow` abreast. */
export function tileGrid(tiles: number, rows: number, cols: number, perRow = Math.ceil(Math.sqrt(tiles * 1.5))): TileGrid {
  const across = Math.max(1, Math.min(tiles, perRow))
  const down = Math.ceil(tiles / across)
  return { tileRows: rows, tileCols: cols, perRow: across, tiles, width: across * (cols + 1) - 1, height: Math.max(0, down * (rows + 1) - 1) }
}

/**
 * The colour of weight w on a diverging scale symmetric about 0: −scale is full blue, +scale
 * full red, 0 the paper. Symmetric so that the sign reads at a glance, whatever the mean.
 */
export function divergingColour(w: number, scale: number, paper: Rgb): Rgb {
  const f = scale > 0 ? Math.max(-1, Math.min(1, w / scale)) : 0
  const end = f < 0 ? NEGATIVE_RGB : POSITIVE_RGB, a = Math.abs(f)
  return [paper[0] + (end[0] - paper[0]) * a, paper[1] + (end[1] - paper[1]) * a, paper[2] + (end[2] - paper[2]) * a]
}

/** Max |w| over each tile (per: 'unit') or over all of them (per: 'layer'): the ends of the colour scale. */
export function tileScales(data: Float32Array, inputs: number, tiles: number, per: 'unit' | 'layer'): Float64Array {
  const scales = new Float64Array(tiles)
  for (let j = 0; j < tiles; j++) {
    let m = 0
    for (let i = j * inputs; i < (j + 1) * inputs; i++) m = Math.max(m, Math.abs(data[i]))
    scales[j] = m
  }
  if (per === 'layer') scales.fill(scales.reduce((a, b) => Math.max(a, b), 0))
  return scales
}

/**
 * RGBA pixels of the grid: tile j holds unit j's incoming weights (row j of `data`, a
 * (tiles, inputs) array) as a tileRows × tileCols image. Gaps stay transparent.
 */
export function weightTilePixels(data: Float32Array, g: TileGrid, scales: Float64Array, paper: Rgb): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(g.width * g.height * 4)
  const inputs = g.tileRows * g.tileCols
  for (let j = 0; j < g.tiles; j++) {
    const x0 = (j % g.perRow) * (g.tileCols + 1), y0 = Math.floor(j / g.perRow) * (g.tileRows + 1)
    for (let p = 0; p < inputs; p++) {
      const c = divergingColour(data[j * inputs + p], scales[j], paper)
      const o = 4 * ((y0 + Math.floor(p / g.tileCols)) * g.width + x0 + (p % g.tileCols))
      out[o] = c[0]
      out[o + 1] = c[1]
      out[o + 2] = c[2]
      out[o + 3] = 255
    }
  }
  return out
}

/** The scale as a CSS gradient for the legend: blue, paper, red. */
export function divergingLegend(paper: Rgb): string {
  const css = (c: Rgb) => `rgb(${c.map(Math.round).join(', ')})`
  return `linear-gradient(to right, ${css(NEGATIVE_RGB)}, ${css(paper)}, ${css(POSITIVE_RGB)})`
}
