import type { WeightInit } from './network-config'

/** The std of N(0, std²) for a weight matrix with `fanIn` inputs. */
export function initStd(init: WeightInit, fanIn: number): number {
  switch (init.kind) {
    case 'std': return init.std
    // Xavier (Glorot): keeps the variance of sigmoid/tanh activations constant across layers
    case 'xavier': return 1 / Math.sqrt(fanIn)
    // He: ReLU zeroes half its inputs, so the variance needs doubling
    case 'he': return Math.sqrt(2 / fanIn)
  }
}
