import { ensure, type Matrix } from './matrix'

/** Class indices, one per row. */
export type Labels = Uint8Array | Int32Array

/**
 * y = softmax(x), loss = −(1/N) Σ_n Σ_k t_nk · log y_nk.
 * x: (N, classes); t: one-hot or soft targets (N, classes), or class indices (N).
 *
 * log y is taken as x − max − log Σ exp(x − max), which is exact and finite for any logits,
 * where the book's log(y + 1e-7) biases the loss by up to 1e-7/y and so its gradient.
 */
export class SoftmaxWithLoss {
  loss = 0
  y: Matrix | null = null
  private t: Matrix | Labels | null = null
  private dx: Matrix | null = null

  forward(x: Matrix, t: Matrix | Labels): number {
    const N = x.rows, K = x.cols
    if ('data' in t ? t.rows !== N || t.cols !== K : t.length !== N) {
      throw new RangeError(`SoftmaxWithLoss.forward: targets do not match x of shape (${N}, ${K})`)
    }
    const y = (this.y = ensure(this.y, N, K))
    const xd = x.data, yd = y.data
    let total = 0
    for (let i = 0; i < N; i++) {
      const o = i * K
      // shift by the row max so exp cannot overflow
      let c = xd[o]
      for (let j = 1; j < K; j++) if (xd[o + j] > c) c = xd[o + j]
      let s = 0
      for (let j = 0; j < K; j++) {
        const e = Math.exp(xd[o + j] - c)
        yd[o + j] = e
        s += e
      }
      const logS = Math.log(s)
      for (let j = 0; j < K; j++) yd[o + j] /= s
      if ('data' in t) {
        const td = t.data
        for (let j = 0; j < K; j++) {
          const tv = td[o + j]
          if (tv !== 0) total -= tv * (xd[o + j] - c - logS)
        }
      } else {
        const k = t[i]
        if (!(k >= 0 && k < K)) throw new RangeError(`SoftmaxWithLoss.forward: label ${k} at row ${i} is outside [0, ${K})`)
        total -= xd[o + k] - c - logS
      }
    }
    this.t = t
    this.loss = total / N
    return this.loss
  }

  /** dx = (y − t) · dout / N: the 1/N comes from the batch mean in the loss. */
  backward(dout = 1): Matrix {
    const y = this.y, t = this.t
    if (!y || !t) throw new Error('SoftmaxWithLoss.backward called before forward')
    const N = y.rows, K = y.cols
    const dx = (this.dx = ensure(this.dx, N, K))
    const yd = y.data, dd = dx.data, scale = dout / N
    if ('data' in t) {
      const td = t.data
      for (let i = 0; i < yd.length; i++) dd[i] = (yd[i] - td[i]) * scale
    } else {
      for (let i = 0; i < N; i++) {
        const o = i * K
        for (let j = 0; j < K; j++) dd[o + j] = yd[o + j] * scale
        dd[o + t[i]] -= scale
      }
    }
    return dx
  }
}
