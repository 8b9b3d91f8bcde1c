import type { Layer } from './layer'
import { ensure, type Matrix } from './matrix'

/** y = max(0, x), elementwise.  x, y: (N, n) */
export class Relu implements Layer {
  /** 1 where x > 0: the units that pass gradient back. */
  mask: Uint8Array<ArrayBufferLike> = new Uint8Array(0)
  private out: Matrix | null = null
  private dx: Matrix | null = null

  forward(x: Matrix): Matrix {
    const out = (this.out = ensure(this.out, x.rows, x.cols))
    const n = x.data.length
    if (this.mask.length !== n) this.mask = new Uint8Array(n)
    const xd = x.data, od = out.data, mask = this.mask
    // x times 0 or 1 rather than a branch: signs are random, and a mispredicted branch per
    // element costs ~6× the loop. + 0 turns the −0 of a negative x into 0: the book's values for finite x.
    for (let i = 0; i < n; i++) {
      const v = xd[i]
      const m = +(v > 0)
      od[i] = v * m + 0
      mask[i] = m
    }
    return out
  }

  /** dx = dout where x > 0, else 0 (dout times the 0/1 mask, branch-free as forward). */
  backward(dout: Matrix): Matrix {
    const dx = (this.dx = ensure(this.dx, dout.rows, dout.cols))
    const n = dout.data.length, gd = dout.data, dd = dx.data, mask = this.mask
    for (let i = 0; i < n; i++) dd[i] = gd[i] * mask[i] + 0
    return dx
  }
}
