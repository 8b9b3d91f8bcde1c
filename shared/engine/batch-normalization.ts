import type { Layer } from './layer'
import { ensure, zeros, type Matrix } from './matrix'

/** The book's 10e-7 under the square root: keeps 1/std finite for a unit constant over the batch. */
const EPS = 10e-7

/**
 * The book's Batch Normalization (Ioffe & Szegedy 2015).  x, y: (N, D); gamma, beta: (1, D)
 * Training: each column is normalised over the batch, xn = (x − μ) / √(σ² + ε), then
 * y = γ·xn + β, and the running statistics follow μ and σ² as moving averages
 * (running ← momentum·running + (1 − momentum)·batch). Evaluation normalises by the running
 * statistics instead, so an image's output does not depend on the rest of its batch.
 */
export class BatchNormalization implements Layer {
  readonly dgamma: Matrix
  readonly dbeta: Matrix
  /** Moving averages of the batch mean and variance, zeros at first as the book's. */
  readonly runningMean: Matrix
  readonly runningVar: Matrix
  private xc: Matrix | null = null
  private xn: Matrix | null = null
  private std = new Float64Array(0)
  private out: Matrix | null = null
  private dx: Matrix | null = null

  constructor(readonly gamma: Matrix, readonly beta: Matrix, readonly momentum = 0.9) {
    const D = gamma.cols
    this.dgamma = zeros(1, D)
    this.dbeta = zeros(1, D)
    this.runningMean = zeros(1, D)
    this.runningVar = zeros(1, D)
  }

  forward(x: Matrix, train = true): Matrix {
    const N = x.rows, D = x.cols
    if (D !== this.gamma.cols) throw new RangeError(`BatchNormalization.forward: x has ${D} columns, gamma has ${this.gamma.cols}`)
    const out = (this.out = ensure(this.out, N, D))
    const xd = x.data, od = out.data, g = this.gamma.data, b = this.beta.data
    if (!train) {
      const rm = this.runningMean.data, rv = this.runningVar.data
      for (let j = 0; j < D; j++) {
        const s = Math.sqrt(rv[j] + EPS)
        for (let i = 0; i < N; i++) od[i * D + j] = g[j] * ((xd[i * D + j] - rm[j]) / s) + b[j]
      }
      return out
    }
    const xc = (this.xc = ensure(this.xc, N, D)), xn = (this.xn = ensure(this.xn, N, D))
    if (this.std.length !== D) this.std = new Float64Array(D)
    const cd = xc.data, nd = xn.data, std = this.std, rm = this.runningMean.data, rv = this.runningVar.data, m = this.momentum
    for (let j = 0; j < D; j++) {
      let mu = 0
      for (let i = 0; i < N; i++) mu += xd[i * D + j]
      mu /= N
      let v = 0
      for (let i = 0; i < N; i++) {
        const c = xd[i * D + j] - mu
        cd[i * D + j] = c
        v += c * c
      }
      v /= N
      std[j] = Math.sqrt(v + EPS)
      for (let i = 0; i < N; i++) {
        nd[i * D + j] = cd[i * D + j] / std[j]
        od[i * D + j] = g[j] * nd[i * D + j] + b[j]
      }
      rm[j] = m * rm[j] + (1 - m) * mu
      rv[j] = m * rv[j] + (1 - m) * v
    }
    return out
  }

  /**
   * Back through y = γ·xn + β, xn = xc/std, xc = x − μ, as the book's graph:
   * dβ = Σ dout, dγ = Σ xn·dout, dxn = γ·dout, dstd = −Σ dxn·xc/std², dvar = dstd/(2·std),
   * dxc = dxn/std + (2/N)·xc·dvar, dμ = Σ dxc, dx = dxc − dμ/N (sums over the batch).
   */
  backward(dout: Matrix): Matrix {
    const xc = this.xc, xn = this.xn
    if (!xc || !xn) throw new Error('BatchNormalization.backward called before a training forward')
    const N = dout.rows, D = dout.cols
    const dx = (this.dx = ensure(this.dx, N, D))
    const gd = dout.data, cd = xc.data, nd = xn.data, dd = dx.data, std = this.std, g = this.gamma.data
    for (let j = 0; j < D; j++) {
      let dbeta = 0, dgamma = 0, dstd = 0
      for (let i = 0; i < N; i++) {
        const k = i * D + j
        dbeta += gd[k]
        dgamma += nd[k] * gd[k]
        dstd -= (g[j] * gd[k] * cd[k]) / (std[j] * std[j])
      }
      this.dbeta.data[j] = dbeta
      this.dgamma.data[j] = dgamma
      const dvar = (0.5 * dstd) / std[j]
      let dmu = 0
      for (let i = 0; i < N; i++) {
        const k = i * D + j
        const dxc = (g[j] * gd[k]) / std[j] + (2 / N) * cd[k] * dvar
        dd[k] = dxc
        dmu += dxc
      }
      for (let i = 0; i < N; i++) dd[i * D + j] -= dmu / N
    }
    return dx
  }
}
