import type { Optimizer, OptimizerState } from './optimizer'
import { OptimizerSlots } from './optimizer-slots'
import type { Params } from './params'

/**
 * The book's Momentum: v ← momentum·v − lr·grad, then W ← W + v.
 * v is a velocity: consistent gradients build it up, alternating ones cancel out.
 */
export class Momentum implements Optimizer {
  readonly kind = 'momentum'
  private readonly slots = new OptimizerSlots(['v'])

  constructor(public lr: number, readonly momentum = 0.9) {}

  update(params: Params, grads: Params): void {
    const { lr, momentum } = this
    for (const key in params) {
      const p = params[key].data, g = grads[key].data, v = this.slots.get('v', key, params[key])
      for (let i = 0; i < p.length; i++) {
        v[i] = momentum * v[i] - lr * g[i]
        p[i] += v[i]
      }
    }
    this.slots.step++
  }

  state(): OptimizerState { return this.slots.state() }
  setState(state: OptimizerState): void { this.slots.setState(state) }
}
