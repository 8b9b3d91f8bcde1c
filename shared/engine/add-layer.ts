/** out = x + y on scalars: the book's addition node. */
export class AddLayer {
  forward(x: number, y: number): number {
    return x + y
  }

  /** ∂(x+y)/∂x = ∂(x+y)/∂y = 1: the gradient passes through unchanged. */
  backward(dout: number): [dx: number, dy: number] {
    return [dout, dout]
  }
}
