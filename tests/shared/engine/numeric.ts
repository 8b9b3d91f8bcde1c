import { Random } from '../../../shared/engine/random'
import { zeros, type Matrix } from '../../../shared/engine/matrix'

/** A (rows, cols) matrix of N(0, 1)·scale + shift, from a seeded stream. */
export function randomMatrix(rng: Random, rows: number, cols: number, scale = 1, shift = 0): Matrix {
  const m = zeros(rows, cols)
  for (let i = 0; i < m.data.length; i++) m.data[i] = rng.normal() * scale + shift
  return m
}

/** Bitwise equality of two float64 arrays (it tells -0 from 0). */
export function sameBits(a: Float64Array, b: Float64Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))
}

/** A (rows, cols) matrix with about `density` of its entries nonzero, like MNIST pixels or ReLU outputs. */
export function sparseMatrix(rng: Random, rows: number, cols: number, density: number): Matrix {
  const m = randomMatrix(rng, rows, cols)
  for (let i = 0; i < m.data.length; i++) if (rng.next() > density) m.data[i] = 0
  return m
}

/** ‖a − b‖ / (‖a‖ + ‖b‖): scale-free, and meaningful even where single entries are near 0. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0, na = 0, nb = 0
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2
    na += a[i] ** 2
    nb += b[i] ** 2
  }
  const denom = Math.sqrt(na) + Math.sqrt(nb)
  return denom === 0 ? 0 : Math.sqrt(d) / denom
}

/** Σ G ⊙ y: a scalar whose gradient with respect to y is G, to drive a layer's backward. */
export function weightedSum(y: Matrix, G: Matrix): number {
  let s = 0
  for (let i = 0; i < y.data.length; i++) s += y.data[i] * G.data[i]
  return s
}
