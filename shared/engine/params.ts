import type { Matrix } from './matrix'

/**
 * The book's params and grads dictionaries: W1, b1, W2, b2, … → matrix.
 * grads[key] is ∂L/∂params[key]; an optimiser's update(params, grads) changes params in place.
 */
export type Params = Record<string, Matrix>
