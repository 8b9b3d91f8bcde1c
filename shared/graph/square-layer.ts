/** out = x² on scalars: the chain-rule example's z = t². */
export class SquareLayer {
  private x = 0

  forward(x: number): number {
    this.x = x
    return x * x
  }

  /** ∂(x²)/∂x = 2x. */
  backward(dout: number): [dx: number] {
    return [dout * 2 * this.x]
  }
}
