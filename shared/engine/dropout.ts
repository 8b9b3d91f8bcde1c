import type { Layer } from './layer'
import { ensure, type Matrix } from './matrix'
import type { Random } from './random'

/**
 * The book's Dropout, in its inverted form.  x, y: (N, n)
 * Training: each unit is kept when a uniform draw exceeds `ratio` (mask 1) and zeroed otherwise,
 * afresh every forward pass, as the book's; the kept units are scaled by 1/(1 − ratio), so
 * evaluation passes every unit unchanged. The book scales by 1 − ratio at evaluation instead:
 * the expected activations are the same, but here evaluating a model needs no dropout ratio,
 * so every consumer of its weights (evaluation, prediction, a drawn digit) gets it right.
 * The draws come from the run's PRNG, so a run stays reproducible and resumable.
 */
export class Dropout implements Layer {
  /** 1 where the unit was kept in the last training pass. */
  mask = new Uint8Array(0)
  /**
   * Keeps the current mask through later training passes instead of drawing a new one: the
   * gradient check needs the loss to be one fixed function of the parameters.
   */
  maskFixed = false
  private out: Matrix | null = null
  private dx: Matrix | null = null

  constructor(readonly ratio: number, private readonly rng: Random) {}

  forward(x: Matrix, train = true): Matrix {
    const out = (this.out = ensure(this.out, x.rows, x.cols))
    const n = x.data.length, xd = x.data, od = out.data
    if (!train) {
      od.set(xd.subarray(0, n))
      return out
    }
    if (!this.maskFixed || this.mask.length !== n) {
      if (this.mask.length !== n) this.mask = new Uint8Array(n)
      for (let i = 0; i < n; i++) this.mask[i] = this.rng.next() > this.ratio ? 1 : 0
    }
    const mask = this.mask, scale = 1 / (1 - this.ratio)
    for (let i = 0; i < n; i++) od[i] = mask[i] ? xd[i] * scale : 0
    return out
  }

  /** dx = dout / (1 − ratio) where the unit was kept, else 0. */
  backward(dout: Matrix): Matrix {
    const dx = (this.dx = ensure(this.dx, dout.rows, dout.cols))
    const n = dout.data.length, gd = dout.data, dd = dx.data, mask = this.mask, scale = 1 / (1 - this.ratio)
    for (let i = 0; i < n; i++) dd[i] = mask[i] ? gd[i] * scale : 0
    return dx
  }
}
