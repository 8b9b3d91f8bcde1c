import { setFlagsFromString } from 'node:v8'
import { describe, expect, it } from 'vitest'
import { clone } from '../../../shared/engine/matrix'
import { Random } from '../../../shared/engine/random'
import { SparseAffine } from '../../../shared/engine/sparse-affine'
import { WasmSparseAffine } from '../../../shared/engine/wasm-sparse-affine'
import { activeKernelBuild, kernelBuild, setFusedKernelsAllowed } from '../../../shared/engine/wasm-kernels'
import { randomMatrix, relativeError, sameBits, sparseMatrix as sparse } from './numeric'

// Node 20's V8 has relaxed SIMD behind this flag (as the workers set it); vitest runs each test file in its own process
setFlagsFromString('--experimental-wasm-relaxed-simd')

describe('the fused kernels (relaxed SIMD multiply-add)', () => {
  const fused = kernelBuild('fused')

  it('load where relaxed SIMD is on, and new layers then use them unless told not to', () => {
    expect(fused).not.toBeNull()
    expect(activeKernelBuild()).toBe('fused')
    setFusedKernelsAllowed(false)
    try {
      expect(activeKernelBuild()).toBe('exact')
    } finally {
      setFusedKernelsAllowed(true)
    }
  })

  it('agree with the JS kernels within 1e-12 relative, at every width, and differ from them in the last bits', () => {
    const rng = new Random(11)
    let differs = false
    for (const M of [1, 3, 8, 12, 14, 23, 28, 50, 64, 100]) {
      const W = randomMatrix(rng, 784, M, 0.05), b = randomMatrix(rng, 1, M, 0.05)
      const js = new SparseAffine(clone(W), clone(b), true)
      const wasm = new WasmSparseAffine(clone(W), clone(b), true, fused!)
      const x = sparse(rng, 100, 784, 0.19)
      const dout = randomMatrix(rng, 100, M)
      const y = wasm.forward(x).data, yJs = js.forward(x).data
      const dx = wasm.backward(dout).data, dxJs = js.backward(dout).data
      expect(relativeError(y, yJs), `forward, ${M} columns`).toBeLessThan(1e-12)
      expect(relativeError(dx, dxJs), `dx, ${M} columns`).toBeLessThan(1e-12)
      expect(relativeError(wasm.dW.data, js.dW.data), `dW, ${M} columns`).toBeLessThan(1e-12)
      // db has no multiplications: the same bits
      expect(sameBits(wasm.db.data, js.db.data)).toBe(true)
      differs ||= !sameBits(y, yJs) || !sameBits(wasm.dW.data, js.dW.data)
    }
    // the fused build really fuses (else this file tests nothing the exact one does not)
    expect(differs).toBe(true)
  })

  it('are reproducible: the same inputs give the same bits', () => {
    const rng = new Random(12)
    const W = randomMatrix(rng, 784, 50, 0.05), b = randomMatrix(rng, 1, 50)
    const x = sparse(rng, 100, 784, 0.19), dout = randomMatrix(rng, 100, 50)
    const runs = [0, 1].map(() => {
      const layer = new WasmSparseAffine(clone(W), clone(b), false, fused!)
      const y = layer.forward(x).data.slice()
      layer.backward(dout)
      return [y, layer.dW.data.slice()]
    })
    expect(sameBits(runs[0][0], runs[1][0])).toBe(true)
    expect(sameBits(runs[0][1], runs[1][1])).toBe(true)
  })
})
