import { OPTIMIZER_EPSILON, type Optimizer, type OptimizerState } from './optimizer'
import { OptimizerSlots } from './optimizer-slots'
import type { Params } from './params'

/**
 * The book's Adam (http://arxiv.org/abs/1412.6980v8), at step t = 1, 2, …:
 * lr_t = lr·√(1 − β2ᵗ) / (1 − β1ᵗ) (the bias correction), m ← m + (1 − β1)(grad − m),
 * v ← v + (1 − β2)(grad² − v), W ← W − lr_t·m / (√v + ε), ε = 1e-7 as the book.
 */
export class Adam implements Optimizer {
  readonly kind = 'adam'
  private readonly slots = new OptimizerSlots(['m', 'v'])

  constructor(public lr: number, readonly beta1 = 0.9, readonly beta2 = 0.999) {}

  update(params: Params, grads: Params): void {
    const { beta1, beta2 } = this
    const t = ++this.slots.step
    const lrT = (this.lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t)
    for (const key in params) {
      const p = params[key].data, g = grads[key].data
      const m = this.slots.get('m', key, params[key]), v = this.slots.get('v', key, params[key])
      for (let i = 0; i < p.length; i++) {
        m[i] += (1 - beta1) * (g[i] - m[i])
        v[i] += (1 - beta2) * (g[i] * g[i] - v[i])
        p[i] -= (lrT * m[i]) / (Math.sqrt(v[i]) + OPTIMIZER_EPSILON)
      }
    }
  }

  state(): OptimizerState { return this.slots.state() }
  setState(state: OptimizerState): void { this.slots.setState(state) }
}
