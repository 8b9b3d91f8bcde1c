import { describe, expect, it } from 'vitest'
import { zeros } from '../../../shared/engine/matrix'
import { SparseRows } from '../../../shared/engine/sparse-rows'
import { newMemory, takeSharedBytes, wasmKernelsModule } from '../../../shared/engine/wasm-kernels'
import { WasmSparseAffine } from '../../../shared/engine/wasm-sparse-affine'
import type { KernelHelper } from '../../../shared/engine/kernel-helper'

describe('shared WebAssembly memories', () => {
  it('are counted as they are created and grown, for the collection V8 would not schedule', () => {
    takeSharedBytes()
    newMemory(3)
    expect(takeSharedBytes()).toBe(0)
    newMemory(2, true)
    newMemory(5, true)
    expect(takeSharedBytes()).toBe(7 * 65536)
    expect(takeSharedBytes()).toBe(0)

    // a layer with a helper lives in a shared memory, and its scratch space grows with the batch
    const module = wasmKernelsModule(true)
    if (!module) throw new Error('these tests need WebAssembly SIMD')
    // a helper that always rests: every product runs here
    const helper: KernelHelper = { start() {}, finish: () => Number.NaN, wake() {}, warm: false, rest() {}, resting: true, ready: false }
    const layer = new WasmSparseAffine(zeros(784, 100), zeros(1, 100), true, module, helper)
    const created = takeSharedBytes()
    expect(created).toBeGreaterThan(784 * 100 * 8 * 2)
    const x = zeros(2000, 784)
    x.data.fill(1)
    layer.forwardSparse(new SparseRows().load(x))
    expect(takeSharedBytes()).toBeGreaterThan(2000 * 784 * 12)
  })
})
