import type { Matrix } from './matrix'
import type { NamedParam } from './network-config'
import type { OptimizerState } from './optimizer'

/**
 * An optimiser's per-parameter buffers (the book's self.v, self.h, self.m dicts), created as
 * zeros on first use, as the book's `if self.v is None` does, and named `<slot>.<param>` in its state.
 */
export class OptimizerSlots {
  private readonly buffers = new Map<string, Float64Array>()
  step = 0

  constructor(readonly slots: readonly string[]) {}

  /** The buffer `slot` of parameter `key`, the size of `like`. */
  get(slot: string, key: string, like: Matrix): Float64Array {
    const name = `${slot}.${key}`
    let b = this.buffers.get(name)
    if (!b) this.buffers.set(name, (b = new Float64Array(like.data.length)))
    else if (b.length !== like.data.length) {
      throw new RangeError(`optimizer state ${name} holds ${b.length} values, but ${key} has ${like.data.length}`)
    }
    return b
  }

  state(): OptimizerState {
    const buffers: NamedParam[] = []
    for (const [name, data] of this.buffers) buffers.push({ name, shape: [data.length], data: data.slice() })
    return { step: this.step, buffers }
  }

  setState(state: OptimizerState): void {
    if (!Number.isInteger(state.step) || state.step < 0) throw new RangeError(`optimizer state: step must be a whole number ≥ 0, got ${state.step}`)
    this.buffers.clear()
    for (const b of state.buffers) {
      const slot = b.name.slice(0, b.name.indexOf('.'))
      if (!this.slots.includes(slot)) {
        throw new RangeError(`optimizer state: unexpected buffer "${b.name}" (expected ${this.slots.map((s) => `${s}.<param>`).join(', ') || 'none'})`)
      }
      this.buffers.set(b.name, Float64Array.from(b.data))
    }
    this.step = state.step
  }
}
