/** out = x·y on scalars: the book's multiplication node. */
export class MulLayer {
  private x = 0
  private y = 0

  forward(x: number, y: number): number {
    this.x = x
    this.y = y
    return x * y
  }

  /** ∂(xy)/∂x = y and ∂(xy)/∂y = x: each input gets the other one. */
  backward(dout: number): [dx: number, dy: number] {
    return [dout * this.y, dout * this.x]
  }
}
