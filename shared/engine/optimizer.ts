import type { NamedParam } from './network-config'
import type { Params } from './params'

/** The book's chapter 6 optimisers (common/optimizer.py). */
export type OptimizerKind = 'sgd' | 'momentum' | 'nesterov' | 'adagrad' | 'rmsprop' | 'adam'

export const OPTIMIZER_KINDS: readonly OptimizerKind[] = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam']

/**
 * Which optimiser a run uses, with its hyperparameters; those left out take the book's values
 * (momentum 0.9, RMSprop decay 0.99, Adam β1 0.9 and β2 0.999). The learning rate is TrainConfig.lr.
 */
export type OptimizerConfig =
  | { kind: 'sgd' }
  | { kind: 'momentum'; momentum?: number }
  | { kind: 'nesterov'; momentum?: number }
  | { kind: 'adagrad' }
  | { kind: 'rmsprop'; decayRate?: number }
  | { kind: 'adam'; beta1?: number; beta2?: number }

/**
 * What an optimiser carries from one update to the next, as plain data: the updates done so far
 * (Adam's t) and its per-parameter buffers, named `<slot>.<param>` (v.W1 for Momentum's velocity
 * of W1, m.W1 and v.W1 for Adam's moments). A run resumed with it continues bit for bit.
 */
export interface OptimizerState {
  step: number
  buffers: NamedParam[]
}

/** The book's update(params, grads): changes every params[key] in place from grads[key]. */
export interface Optimizer {
  readonly kind: OptimizerKind
  lr: number
  update(params: Params, grads: Params): void
  state(): OptimizerState
  /** Restores a state(); its buffers must match the params of later updates in name and size. */
  setState(state: OptimizerState): void
}

/** The book's ε in AdaGrad, RMSprop and Adam: keeps 1/√h finite while h is still 0. */
export const OPTIMIZER_EPSILON = 1e-7
