import type { Matrix } from './matrix'

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

  /** Lists the nonzeros of x by row; buffers grow as needed and are reused. */
  load(x: Matrix): this {
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

  /** The same nonzeros by column (a counting sort of the row lists), built once per load. */
  byColumn(): this {
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
