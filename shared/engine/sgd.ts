import type { Optimizer, OptimizerState } from './optimizer'
import type { Params } from './params'
import { wasmKernelsOver } from './wasm-kernels'

/** Stochastic gradient descent, the book's SGD: params[key] ← params[key] − lr · grads[key], in place. */
export class Sgd implements Optimizer {
  readonly kind = 'sgd'
  private step = 0

  constructor(public lr: number) {}

  update(params: Params, grads: Params): void {
    for (const key in params) {
      const p = params[key].data, g = grads[key].data
      // A WebAssembly layer keeps W and dW in its own memory: the same step there, in SIMD
      // (a multiply then a subtract, as below, so the same bits), several times faster than JS.
      const k = wasmKernelsOver(p, g)
      if (k) k.sgd(p.length, this.lr, p.byteOffset, g.byteOffset)
      else for (let i = 0; i < p.length; i++) p[i] -= this.lr * g[i]
    }
    this.step++
  }

  /** SGD keeps nothing between steps but their count. */
  state(): OptimizerState {
    return { step: this.step, buffers: [] }
  }

  setState(state: OptimizerState): void {
    if (state.buffers.length) throw new RangeError(`optimizer state: SGD keeps no buffers, got ${state.buffers.length}`)
    this.step = state.step
  }
}
