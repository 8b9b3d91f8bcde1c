/** out = exp(x) on scalars: the sigmoid graph's "exp" node. */
export class ExpLayer {
  private out = 0

  forward(x: number): number {
    this.out = Math.exp(x)
    return this.out
  }

  /** ∂exp(x)/∂x = exp(x): the node's own output. */
  backward(dout: number): [dx: number] {
    return [dout * this.out]
  }
}
