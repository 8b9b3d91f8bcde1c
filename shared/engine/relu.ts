import type { Layer } from './layer'
import { ensure, type Matrix } from './matrix'

/** y = max(0, x), elementwise.  x, y: (N, n) */
export class Relu implements Layer {
  /** 1 where x > 0: the units that pass gradient back. */
  mask = new Uint8Array(0)
  private out: Matrix | null = null
  private dx: Matrix | null = null

  forward(x: Matrix): Matrix {
    const out = (this.out = ensure(this.out, x.rows, x.cols))
    const n = x.data.length
    if (this.mask.length !== n) this.mask = new Uint8Array(n)
    const xd = x.data, od = out.data, mask = this.mask
    for (let i = 0; i < n; i++) {
      const v = xd[i]
      if (v > 0) { od[i] = v; mask[i] = 1 } else { od[i] = 0; mask[i] = 0 }
    }
    return out
  }

  /** dx = dout where x > 0, else 0. */
  backward(dout: Matrix): Matrix {
    const dx = (this.dx = ensure(this.dx, dout.rows, dout.cols))
    const n = dout.data.length, gd = dout.data, dd = dx.data, mask = this.mask
    for (let i = 0; i < n; i++) dd[i] = mask[i] ? gd[i] : 0
    return dx
  }
}
