import type { Matrix } from './matrix'

/** Stochastic gradient descent: W ← W − lr · ∂L/∂W. */
export class Sgd {
  constructor(public lr: number) {}

  update(params: readonly Matrix[], grads: readonly Matrix[]): void {
    const lr = this.lr
    for (let p = 0; p < params.length; p++) {
      const w = params[p].data, g = grads[p].data
      for (let i = 0; i < w.length; i++) w[i] -= lr * g[i]
    }
  }
}
