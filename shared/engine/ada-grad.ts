import { OPTIMIZER_EPSILON, type Optimizer, type OptimizerState } from './optimizer'
import { OptimizerSlots } from './optimizer-slots'
import type { Params } from './params'

/**
 * The book's AdaGrad: h ← h + grad², then W ← W − lr·grad / (√h + ε).
 * Each parameter's step shrinks with the squared gradients it has seen (ε = 1e-7, as the book).
 */
export class AdaGrad implements Optimizer {
  readonly kind = 'adagrad'
  private readonly slots = new OptimizerSlots(['h'])

  constructor(public lr: number) {}

  update(params: Params, grads: Params): void {
    const lr = this.lr
    for (const key in params) {
      const p = params[key].data, g = grads[key].data, h = this.slots.get('h', key, params[key])
      for (let i = 0; i < p.length; i++) {
        h[i] += g[i] * g[i]
        p[i] -= (lr * g[i]) / (Math.sqrt(h[i]) + OPTIMIZER_EPSILON)
      }
    }
    this.slots.step++
  }

  state(): OptimizerState { return this.slots.state() }
  setState(state: OptimizerState): void { this.slots.setState(state) }
}
