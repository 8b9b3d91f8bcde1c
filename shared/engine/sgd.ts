import type { AffineLayer } from './layer'

/** Stochastic gradient descent: W ← W − lr · ∂L/∂W for every layer's W and b. */
export class Sgd {
  constructor(public lr: number) {}

  update(layers: readonly AffineLayer[]): void {
    for (const layer of layers) layer.descend(this.lr)
  }
}
