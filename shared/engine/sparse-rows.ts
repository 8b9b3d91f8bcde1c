import type { Matrix } from './matrix'

/** Images by their nonzero pixels (shared/data/sparse-pixels.ts has the format). */
export interface PixelLists {
  start: Int32Array
  index: Uint16Array
  value: Uint8Array
}

export interface PixelSelection {
  pixels: PixelLists
  idx: Int32Array | null
  from: number
  scale: Float64Array
}

/**
 * The nonzeros of a (N, K) matrix, by row (CSR) and by column (CSC).
 * 81% of MNIST pixels and about half of ReLU outputs are exactly 0, and a product
 * only needs the nonzeros: listing them once lets the kernels skip the rest entirely.
 */
export class SparseRows {
  rows = 0
  cols = 0
  nnz = 0
  /** Row r's nonzeros are at [rowStart[r], rowStart[r+1]). */
  rowStart = new Int32Array(1)
  colIndex = new Int32Array(0)
  rowValues = new Float64Array(0)
  /** Column k's nonzeros are at [colStart[k], colStart[k+1]). */
  colStart = new Int32Array(1)
  rowIndex = new Int32Array(0)
  colValues = new Float64Array(0)
  private byColumnValid = false
  /** Images chosen by selectPixels and not yet copied into the lists above. */
  pending: PixelSelection | null = null

  /**
   * Chooses images from a pixel list without copying them yet: a layer that reads pixel lists
   * itself (WasmSparseAffine) takes them from `pending`; anything else calls materialize() first.
   */
  selectPixels(pixels: PixelLists, cols: number, idx: Int32Array | null, from: number, rows: number, scale: Float64Array): this {
    this.rows = rows
    this.cols = cols
    this.pending = { pixels, idx, from, scale }
    this.byColumnValid = false
    return this
  }

  /** Copies the images chosen by selectPixels into the row lists. */
  materialize(): this {
    const p = this.pending
    if (p) this.loadSparse(p.pixels, this.cols, p.idx, p.from, this.rows, p.scale)
    return this
  }

  /** Lists the nonzeros of x by row; buffers grow as needed and are reused. */
  load(x: Matrix): this {
    this.pending = null
    const N = x.rows, K = x.cols, d = x.data
    this.rows = N
    this.cols = K
    if (this.rowStart.length < N + 1) this.rowStart = new Int32Array(N + 1)
    if (this.colIndex.length < d.length) {
      this.colIndex = new Int32Array(d.length)
      this.rowValues = new Float64Array(d.length)
    }
    const start = this.rowStart, idx = this.colIndex, vals = this.rowValues
    let nz = 0
    for (let r = 0; r < N; r++) {
      start[r] = nz
      const o = r * K
      for (let k = 0; k < K; k++) {
        const v = d[o + k]
        if (v !== 0) { idx[nz] = k; vals[nz] = v; nz++ }
      }
    }
    start[N] = nz
    this.nnz = nz
    this.byColumnValid = false
    return this
  }

  /**
   * Lists the nonzeros of byte rows images[n·cols … (n+1)·cols) for n = idx[from + r] (or from + r),
   * mapped through `scale` (byte → value): pixels go straight to the sparse form, never through a dense float row.
   */
  loadBytes(images: Uint8Array, cols: number, idx: Int32Array | null, from: number, rows: number, scale: Float64Array): this {
    this.pending = null
    this.rows = rows
    this.cols = cols
    if (this.rowStart.length < rows + 1) this.rowStart = new Int32Array(rows + 1)
    const start = this.rowStart
    let nz = 0
    for (let r = 0; r < rows; r++) {
      if (nz + cols > this.colIndex.length) this.grow(nz + cols)
      const ci = this.colIndex, vals = this.rowValues
      start[r] = nz
      const src = (idx ? idx[from + r] : from + r) * cols
      for (let k = 0; k < cols; k++) {
        const v = images[src + k]
        if (v !== 0) { ci[nz] = k; vals[nz] = scale[v]; nz++ }
      }
    }
    start[rows] = nz
    this.nnz = nz
    this.byColumnValid = false
    return this
  }

  /**
   * The same as loadBytes, from images already listed by their nonzeros: a copy of each
   * image's list, with no pixel scan.
   */
  loadSparse(pixels: PixelLists, cols: number, idx: Int32Array | null, from: number, rows: number, scale: Float64Array): this {
    this.pending = null
    this.rows = rows
    this.cols = cols
    if (this.rowStart.length < rows + 1) this.rowStart = new Int32Array(rows + 1)
    const start = this.rowStart, ps = pixels.start, pi = pixels.index, pv = pixels.value
    let nz = 0
    for (let r = 0; r < rows; r++) {
      const n = idx ? idx[from + r] : from + r
      const t0 = ps[n], t1 = ps[n + 1]
      if (nz + (t1 - t0) > this.colIndex.length) this.grow(nz + (t1 - t0))
      const ci = this.colIndex, vals = this.rowValues
      start[r] = nz
      for (let t = t0; t < t1; t++) {
        ci[nz] = pi[t]
        vals[nz] = scale[pv[t]]
        nz++
      }
    }
    start[rows] = nz
    this.nnz = nz
    this.byColumnValid = false
    return this
  }

  private grow(need: number): void {
    const size = Math.max(need, this.colIndex.length * 2)
    const ci = new Int32Array(size), vals = new Float64Array(size)
    ci.set(this.colIndex)
    vals.set(this.rowValues)
    this.colIndex = ci
    this.rowValues = vals
  }

  /** The same nonzeros by column (a counting sort of the row lists), built once per load. */
  byColumn(): this {
    this.materialize()
    if (this.byColumnValid) return this
    const K = this.cols, N = this.rows, nz = this.nnz
    if (this.colStart.length < K + 1) this.colStart = new Int32Array(K + 1)
    if (this.rowIndex.length < this.colIndex.length) {
      this.rowIndex = new Int32Array(this.colIndex.length)
      this.colValues = new Float64Array(this.colIndex.length)
    }
    const cs = this.colStart, ci = this.colIndex
    cs.fill(0, 0, K + 1)
    for (let t = 0; t < nz; t++) cs[ci[t] + 1]++
    for (let k = 0; k < K; k++) cs[k + 1] += cs[k]
    const fill = cs.slice(0, K)
    const rs = this.rowStart, rv = this.rowValues, ri = this.rowIndex, cv = this.colValues
    for (let r = 0; r < N; r++) {
      for (let t = rs[r]; t < rs[r + 1]; t++) {
        const at = fill[ci[t]]++
        ri[at] = r
        cv[at] = rv[t]
      }
    }
    this.byColumnValid = true
    return this
  }
}
