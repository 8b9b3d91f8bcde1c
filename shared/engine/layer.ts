import type { Matrix } from './matrix'
import type { SparseRows } from './sparse-rows'

/** A layer of the computational graph: backward takes ∂L/∂out and returns ∂L/∂x. */
export interface Layer {
  /** train: false at evaluation, for the layers that act differently then (Dropout, BatchNormalization). */
  forward(x: Matrix, train?: boolean): Matrix
  backward(dout: Matrix): Matrix
}

/** y = x·W + b with the gradients dW and db of its last backward pass. */
export interface AffineLayer extends Layer {
  readonly W: Matrix
  readonly b: Matrix
  readonly dW: Matrix
  readonly db: Matrix
}

/** An Affine that also takes its input as a list of nonzeros: the fast layers. */
export interface SparseAffineLayer extends AffineLayer {
  /** train: a backward pass follows (a layer may start preparing for it). */
  forwardSparse(xs: SparseRows, train?: boolean): Matrix
}
