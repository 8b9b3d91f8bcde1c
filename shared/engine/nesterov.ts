import type { Optimizer, OptimizerState } from './optimizer'
import { OptimizerSlots } from './optimizer-slots'
import type { Params } from './params'

/**
 * The book's Nesterov accelerated gradient (http://arxiv.org/abs/1212.0901), in its
 * rearranged form that needs the gradient at W only:
 * v ← momentum·v − lr·grad, then W ← W + momentum²·v − (1 + momentum)·lr·grad.
 */
export class Nesterov implements Optimizer {
  readonly kind = 'nesterov'
  private readonly slots = new OptimizerSlots(['v'])

  constructor(public lr: number, readonly momentum = 0.9) {}

  update(params: Params, grads: Params): void {
    const { lr, momentum } = this
    for (const key in params) {
      const p = params[key].data, g = grads[key].data, v = this.slots.get('v', key, params[key])
      for (let i = 0; i < p.length; i++) {
        v[i] *= momentum
        v[i] -= lr * g[i]
        p[i] += momentum * momentum * v[i]
        p[i] -= (1 + momentum) * lr * g[i]
      }
    }
    this.slots.step++
  }

  state(): OptimizerState { return this.slots.state() }
  setState(state: OptimizerState): void { this.slots.setState(state) }
}
