import { setFlagsFromString } from 'node:v8'
import { describe, expect, it } from 'vitest'
import { clone } from '../../../shared/engine/matrix'
import { Random } from '../../../shared/engine/random'
import { SparseAffine } from '../../../shared/engine/sparse-affine'
import { WasmSparseAffine } from '../../../shared/engine/wasm-sparse-affine'
import { activeKernelBuild, instantiateKernels, kernelBuild, newMemory, setFusedKernelsAllowed, type KernelBuild } from '../../../shared/engine/wasm-kernels'
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
    for (const M of [1, 3, 8, 10, 11, 12, 14, 23, 28, 50, 64, 100]) {
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

  it('scatter dW along the row lists (narrow layers) to the bits of dW gathered along the column lists, in both builds', () => {
    // which of the two a step takes depends on whether the helper listed the columns in time, so
    // a run's bits must not depend on it
    const rng = new Random(13)
    const K = 784, N = 100
    for (const build of ['exact', 'fused'] as KernelBuild[]) {
      for (const M of [1, 2, 3, 10, 15, 16]) {
        const memory = newMemory(64)
        const k = instantiateKernels(kernelBuild(build)!, memory)
        const x = sparse(rng, N, K, 0.19).data, dout = randomMatrix(rng, N, M).data
        let nnz = 0
        for (const v of x) if (v !== 0) nnz++
        // byte offsets, each region 16-aligned
        let end = 0
        const region = (bytes: number) => { const o = end; end += Math.ceil(bytes / 16) * 16; return o }
        const at = {
          starts: region((N + 1) * 4), idx: region(nnz * 4), offs: region(nnz * 4), vals: region(nnz * 8), dout: region(N * M * 8),
          zero: region(M * 8), colStarts: region((K + 1) * 4), cursor: region(K * 4), rowIdx: region(nnz * 4), colVals: region(nnz * 8),
          gathered: region(K * M * 8), scattered: region(K * M * 8),
        }
        const buf = memory.buffer
        const starts = new Int32Array(buf, at.starts, N + 1), idx = new Int32Array(buf, at.idx, nnz)
        const offs = new Int32Array(buf, at.offs, nnz), vals = new Float64Array(buf, at.vals, nnz)
        let t = 0
        for (let r = 0; r < N; r++) {
          starts[r] = t
          for (let c = 0; c < K; c++) if (x[r * K + c] !== 0) { idx[t] = c; offs[t] = c * M * 8; vals[t] = x[r * K + c]; t++ }
        }
        starts[N] = t
        new Float64Array(buf, at.dout, N * M).set(dout)
        new Float64Array(buf, at.scattered, K * M).fill(Number.NaN)
        k.csc_from_csr(N, K, at.starts, at.idx, at.vals, at.colStarts, at.cursor, at.rowIdx, at.colVals, M * 8)
        k.affine(K, M, 1 << 20, 8 << 20, at.colStarts, at.rowIdx, at.colVals, at.dout, at.zero, at.gathered, M * 8)
        k.dw_scatter(N, K * M * 8, M, at.starts, at.offs, at.vals, at.dout, at.scattered)
        const gathered = new Float64Array(buf, at.gathered, K * M), scattered = new Float64Array(buf, at.scattered, K * M)
        expect(sameBits(scattered, gathered), `${build}, ${M} columns`).toBe(true)
        expect(gathered.some((v) => v !== 0)).toBe(true)
      }
    }
  })
})
