/**
 * Which Affine layers a network is built from. Both compute the same numbers:
 * reference: the book's dense Affine (affine.ts), every product of x·W.
 * fast: the sparse layers (sparse-affine.ts, wasm-sparse-affine.ts), which skip the products whose x is 0.
 */
export type Engine = 'fast' | 'reference'

export const ENGINES: readonly Engine[] = ['fast', 'reference']
