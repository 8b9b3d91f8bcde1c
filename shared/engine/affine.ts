import type { AffineLayer } from './layer'
import { zeros, type Matrix } from './matrix'

/**
 * y = x·W + b, the book's Affine.  x: (N, in), W: (in, out), b: (1, out), y: (N, out)
 *
 * The reference: every product of x·W is formed, in plain loops. SparseAffine and
 * WasmSparseAffine are exact too, and skip the products whose x is 0: adding x·w = 0 to a
 * sum leaves it unchanged, so with the sums in the same order they give the same bits.
 */
export class Affine implements AffineLayer {
  readonly dW: Matrix
  readonly db: Matrix
  private x: Matrix | null = null

  constructor(readonly W: Matrix, readonly b: Matrix) {
    this.dW = zeros(W.rows, W.cols)
    this.db = zeros(1, W.cols)
  }

  /** out = x·W + b: out[i][j] = b[j] + Σ_k x[i][k]·W[k][j] */
  forward(x: Matrix): Matrix {
    const N = x.rows, K = this.W.rows, M = this.W.cols
    if (x.cols !== K) throw new RangeError(`Affine.forward: x has ${x.cols} columns, W has ${K} rows`)
    this.x = x
    const out = zeros(N, M)
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < M; j++) {
        let s = this.b.data[j]
        for (let k = 0; k < K; k++) s += x.data[i * K + k] * this.W.data[k * M + j]
        out.data[i * M + j] = s
      }
    }
    return out
  }

  /** dW = xᵀ·dout, db = Σ_rows dout, dx = dout·Wᵀ */
  backward(dout: Matrix): Matrix {
    const x = this.x
    if (!x) throw new Error('Affine.backward called before forward')
    const N = dout.rows, K = this.W.rows, M = this.W.cols
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < M; j++) {
        let s = 0
        for (let n = 0; n < N; n++) s += x.data[n * K + k] * dout.data[n * M + j]
        this.dW.data[k * M + j] = s
      }
    }
    for (let j = 0; j < M; j++) {
      let s = 0
      for (let n = 0; n < N; n++) s += dout.data[n * M + j]
      this.db.data[j] = s
    }
    const dx = zeros(N, K)
    for (let n = 0; n < N; n++) {
      for (let k = 0; k < K; k++) {
        let s = 0
        for (let j = 0; j < M; j++) s += dout.data[n * M + j] * this.W.data[k * M + j]
        dx.data[n * K + k] = s
      }
    }
    return dx
  }
}
