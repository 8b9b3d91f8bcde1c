import type { Matrix } from '../engine/matrix'
import type { SparseRows } from '../engine/sparse-rows'
import type { DataSplit } from './dataset'

/** byte → byte/255, the book's normalisation, looked up rather than divided per pixel. */
export const PIXEL_SCALE = Float64Array.from({ length: 256 }, (_, v) => v / 255)

/**
 * Copies images idx[from…from+x.rows) into x as float64 in [0, 1], and their labels into t.
 * x: (B, rows·cols), t: (B).  With idx null, takes images from…from+B in order.
 */
export function fillBatch(split: DataSplit, idx: Int32Array | null, from: number, x: Matrix, t: Int32Array): void {
  const D = x.cols, B = x.rows, images = split.images, sparse = split.sparse, xd = x.data
  for (let r = 0; r < B; r++) {
    const n = idx ? idx[from + r] : from + r
    const src = n * D, dst = r * D
    if (images) {
      for (let p = 0; p < D; p++) xd[dst + p] = PIXEL_SCALE[images[src + p]]
    } else if (sparse) {
      xd.fill(0, dst, dst + D)
      for (let q = sparse.start[n]; q < sparse.start[n + 1]; q++) xd[dst + sparse.index[q]] = PIXEL_SCALE[sparse.value[q]]
    }
    t[r] = split.labels[n]
  }
}

/**
 * fillBatch straight into sparse form: the images' nonzero pixels as xs, their labels into t.
 * From pixel lists the copy is deferred to whoever reads xs (see SparseRows.selectPixels).
 */
export function fillSparseBatch(split: DataSplit, cols: number, idx: Int32Array | null, from: number, rows: number, xs: SparseRows, t: Int32Array): void {
  if (split.sparse) xs.selectPixels(split.sparse, cols, idx, from, rows, PIXEL_SCALE)
  else if (split.images) xs.loadBytes(split.images, cols, idx, from, rows, PIXEL_SCALE)
  else throw new Error('a data split holds neither dense nor sparse pixels')
  const labels = split.labels
  for (let r = 0; r < rows; r++) t[r] = labels[idx ? idx[from + r] : from + r]
}
