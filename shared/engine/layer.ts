import type { Matrix } from './matrix'

/** A layer of the computational graph: backward takes ∂L/∂out and returns ∂L/∂x. */
export interface Layer {
  forward(x: Matrix): Matrix
  backward(dout: Matrix): Matrix
}
