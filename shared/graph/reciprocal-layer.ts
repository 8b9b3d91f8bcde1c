/** out = 1/x on scalars: the sigmoid graph's "/" node. */
export class ReciprocalLayer {
  private out = 0

  forward(x: number): number {
    this.out = 1 / x
    return this.out
  }

  /** ∂(1/x)/∂x = −1/x² = −out²: written with the output, as the book does. */
  backward(dout: number): [dx: number] {
    return [-dout * this.out * this.out]
  }
}
