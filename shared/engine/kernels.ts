import type { Matrix } from './matrix'
import type { SparseRows } from './sparse-rows'

/*
 * Products over the nonzeros of the left operand, eight output columns at a time:
 * the eight partial sums stay in registers for a whole row (or column) of nonzeros,
 * so each multiply-add costs one load of W instead of a load and a store of the output.
 */

/** out = x·W + b, x given by its nonzeros.  x: (N, in), W: (in, out), b: (1, out), out: (N, out) */
export function affineInto(x: SparseRows, W: Matrix, b: Matrix, out: Matrix): void {
  const N = x.rows, M = W.cols
  const start = x.rowStart, idx = x.colIndex, vals = x.rowValues
  const Wd = W.data, bd = b.data, od = out.data
  for (let i = 0; i < N; i++) {
    const o = i * M, t0 = start[i], t1 = start[i + 1]
    let j = 0
    for (; j + 8 <= M; j += 8) {
      let s0 = bd[j], s1 = bd[j + 1], s2 = bd[j + 2], s3 = bd[j + 3]
      let s4 = bd[j + 4], s5 = bd[j + 5], s6 = bd[j + 6], s7 = bd[j + 7]
      for (let t = t0; t < t1; t++) {
        const v = vals[t], w = idx[t] * M + j
        s0 += v * Wd[w]; s1 += v * Wd[w + 1]; s2 += v * Wd[w + 2]; s3 += v * Wd[w + 3]
        s4 += v * Wd[w + 4]; s5 += v * Wd[w + 5]; s6 += v * Wd[w + 6]; s7 += v * Wd[w + 7]
      }
      od[o + j] = s0; od[o + j + 1] = s1; od[o + j + 2] = s2; od[o + j + 3] = s3
      od[o + j + 4] = s4; od[o + j + 5] = s5; od[o + j + 6] = s6; od[o + j + 7] = s7
    }
    for (; j < M; j++) {
      let s = bd[j]
      for (let t = t0; t < t1; t++) s += vals[t] * Wd[idx[t] * M + j]
      od[o + j] = s
    }
  }
}

/** dW = xᵀ·dout, x given by its nonzeros by column.  x: (N, in), dout: (N, out), dW: (in, out) */
export function matmulTransAInto(x: SparseRows, dout: Matrix, dW: Matrix): void {
  const K = x.cols, M = dout.cols
  const start = x.colStart, rows = x.rowIndex, vals = x.colValues
  const gd = dout.data, wd = dW.data
  for (let k = 0; k < K; k++) {
    const w = k * M, t0 = start[k], t1 = start[k + 1]
    if (t0 === t1) { wd.fill(0, w, w + M); continue }
    let j = 0
    for (; j + 8 <= M; j += 8) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0
      for (let t = t0; t < t1; t++) {
        const v = vals[t], g = rows[t] * M + j
        s0 += v * gd[g]; s1 += v * gd[g + 1]; s2 += v * gd[g + 2]; s3 += v * gd[g + 3]
        s4 += v * gd[g + 4]; s5 += v * gd[g + 5]; s6 += v * gd[g + 6]; s7 += v * gd[g + 7]
      }
      wd[w + j] = s0; wd[w + j + 1] = s1; wd[w + j + 2] = s2; wd[w + j + 3] = s3
      wd[w + j + 4] = s4; wd[w + j + 5] = s5; wd[w + j + 6] = s6; wd[w + j + 7] = s7
    }
    for (; j < M; j++) {
      let s = 0
      for (let t = t0; t < t1; t++) s += vals[t] * gd[rows[t] * M + j]
      wd[w + j] = s
    }
  }
}

/** dx = dout·Wᵀ.  dout: (N, out), W: (in, out), dx: (N, in) */
export function matmulTransBInto(dout: Matrix, W: Matrix, dx: Matrix): void {
  const N = dout.rows, M = dout.cols, K = W.rows
  const gd = dout.data, Wd = W.data, xd = dx.data
  for (let i = 0; i < N; i++) {
    const g = i * M, xi = i * K
    for (let k = 0; k < K; k++) {
      const w = k * M
      let s = 0
      for (let j = 0; j < M; j++) s += gd[g + j] * Wd[w + j]
      xd[xi + k] = s
    }
  }
}

/** db = Σ_rows dout.  dout: (N, out), db: (1, out) */
export function sumRowsInto(dout: Matrix, db: Matrix): void {
  const N = dout.rows, M = dout.cols, gd = dout.data, bd = db.data
  bd.fill(0)
  for (let i = 0; i < N; i++) {
    const g = i * M
    for (let j = 0; j < M; j++) bd[j] += gd[g + j]
  }
}

/** Index of the largest entry of row i (first one on ties, as np.argmax). */
export function argmaxRow(m: Matrix, i: number): number {
  const M = m.cols, d = m.data, o = i * M
  let best = 0, bestV = d[o]
  for (let j = 1; j < M; j++) {
    if (d[o + j] > bestV) { bestV = d[o + j]; best = j }
  }
  return best
}
