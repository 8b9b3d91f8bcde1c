import { describe, expect, it } from 'vitest'
import { frobeniusNorm } from '../../../shared/engine/frobenius-norm'
import { Random } from '../../../shared/engine/random'
import { l2Norm } from '../../../shared/engine/tensor-stats'
import { wasmKernelsModule, wasmKernelsOver } from '../../../shared/engine/wasm-kernels'
import { WasmSparseAffine } from '../../../shared/engine/wasm-sparse-affine'
import { randomMatrix } from './numeric'

const module = wasmKernelsModule()
if (!module) throw new Error('WebAssembly SIMD is unavailable: the fast kernels cannot be tested here')

/** A layer's W and dW, which live in its WebAssembly memory, as the layer statistics see them. */
function layerArrays(rng: Random) {
  const layer = new WasmSparseAffine(randomMatrix(rng, 40, 13, 0.05), randomMatrix(rng, 1, 13), false, module!)
  return { W: layer.W.data, dW: layer.dW.data }
}

describe('frobeniusNorm', () => {
  it("gives l2Norm's value to rounding, for arrays in a layer's memory and outside it", () => {
    const rng = new Random(3)
    const { W } = layerArrays(rng)
    // W is in a kernel memory: the norm is the kernels' sum of squares
    expect(wasmKernelsOver(W, W)).not.toBeNull()
    expect(Math.abs(frobeniusNorm(W) - l2Norm(W)) / l2Norm(W)).toBeLessThan(1e-12)
    const plain = Float64Array.from(W)
    expect(frobeniusNorm(plain)).toBe(l2Norm(plain))
  })

  it('falls back to the scaled norm where the sum of squares overflows or underflows', () => {
    const rng = new Random(4)
    const { W, dW } = layerArrays(rng)
    W.fill(3e200)
    expect(frobeniusNorm(W) / (3e200 * Math.sqrt(W.length))).toBeCloseTo(1, 12)
    dW.fill(0)
    dW[7] = 4e-200
    expect(frobeniusNorm(dW)).toBe(4e-200)
  })
})
