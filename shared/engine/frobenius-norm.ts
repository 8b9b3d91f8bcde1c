import { l2Norm } from './tensor-stats'
import { wasmKernelsOver } from './wasm-kernels'

/**
 * ‖a‖ = √Σ a²: by the WebAssembly kernels' sum of squares when `a` lives in their memory (a
 * layer's W or dW), a pass of SIMD adds; else, or when that sum overflows to ∞ or underflows
 * to 0, by the scaled l2Norm, which can do neither.
 */
export function frobeniusNorm(a: Float64Array): number {
  const k = wasmKernelsOver(a, a)
  if (k) {
    const s = k.sum_squares(a.length, a.byteOffset)
    if (s > 0 && s < Number.POSITIVE_INFINITY) return Math.sqrt(s)
  }
  return l2Norm(a)
}
