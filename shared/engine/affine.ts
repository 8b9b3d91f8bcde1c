import { affineInto, matmulTransAInto, matmulTransBInto, sumRowsInto } from './kernels'
import type { Layer } from './layer'
import { ensure, zeros, type Matrix } from './matrix'
import { SparseRows } from './sparse-rows'

/** y = x·W + b.  x: (N, in), W: (in, out), b: (1, out), y: (N, out) */
export class Affine implements Layer {
  readonly dW: Matrix
  readonly db: Matrix
  private x: Matrix | null = null
  private xs = new SparseRows()
  private out: Matrix | null = null
  private dx: Matrix | null = null

  /**
   * needsDx = false for the first layer: nothing consumes ∂L/∂input there,
   * and dout·Wᵀ would be the most expensive product of the step.
   */
  constructor(readonly W: Matrix, readonly b: Matrix, readonly needsDx = true) {
    this.dW = zeros(W.rows, W.cols)
    this.db = zeros(1, W.cols)
  }

  forward(x: Matrix): Matrix {
    if (x.cols !== this.W.rows) {
      throw new RangeError(`Affine.forward: x has ${x.cols} columns, W has ${this.W.rows} rows`)
    }
    this.x = x
    const out = (this.out = ensure(this.out, x.rows, this.W.cols))
    affineInto(this.xs.load(x), this.W, this.b, out)
    return out
  }

  /** dW = xᵀ·dout, db = Σ_rows dout, dx = dout·Wᵀ. */
  backward(dout: Matrix): Matrix {
    const x = this.x
    if (!x) throw new Error('Affine.backward called before forward')
    matmulTransAInto(this.xs.byColumn(), dout, this.dW)
    sumRowsInto(dout, this.db)
    const dx = (this.dx = ensure(this.dx, dout.rows, this.W.rows))
    if (this.needsDx) matmulTransBInto(dout, this.W, dx)
    return dx
  }
}
