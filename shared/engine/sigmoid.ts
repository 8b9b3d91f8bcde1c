import type { Layer } from './layer'
import { ensure, type Matrix } from './matrix'

/** y = 1 / (1 + exp(−x)), elementwise.  x, y: (N, n) */
export class Sigmoid implements Layer {
  private out: Matrix | null = null
  private dx: Matrix | null = null

  forward(x: Matrix): Matrix {
    const out = (this.out = ensure(this.out, x.rows, x.cols))
    const xd = x.data, od = out.data
    for (let i = 0; i < xd.length; i++) od[i] = 1 / (1 + Math.exp(-xd[i]))
    return out
  }

  /** dy/dx = y(1 − y): the derivative needs only the forward output. */
  backward(dout: Matrix): Matrix {
    const y = this.out
    if (!y) throw new Error('Sigmoid.backward called before forward')
    const dx = (this.dx = ensure(this.dx, dout.rows, dout.cols))
    const gd = dout.data, yd = y.data, dd = dx.data
    for (let i = 0; i < gd.length; i++) dd[i] = gd[i] * yd[i] * (1 - yd[i])
    return dx
  }
}
