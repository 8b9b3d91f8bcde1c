import type { Matrix } from './matrix'
import type { SparseRows } from './sparse-rows'

/** A layer of the computational graph: backward takes ∂L/∂out and returns ∂L/∂x. */
export interface Layer {
  forward(x: Matrix): Matrix
  backward(dout: Matrix): Matrix
}

/** y = x·W + b with its gradients kept for the optimizer. */
export interface AffineLayer extends Layer {
  readonly W: Matrix
  readonly b: Matrix
  readonly dW: Matrix
  readonly db: Matrix
  /** forward for an input given by its nonzeros. */
  forwardSparse(xs: SparseRows): Matrix
  /** One SGD step on this layer: W ← W − lr·dW, b ← b − lr·db. */
  descend(lr: number): void
}
