import type { KernelHelper } from './kernel-helper'
import type { SparseAffineLayer } from './layer'
import type { Matrix } from './matrix'
import { SparseAffine } from './sparse-affine'
import { WasmSparseAffine } from './wasm-sparse-affine'
import { wasmKernelsModule } from './wasm-kernels'

/**
 * The fast Affine: in WebAssembly SIMD where the platform has it (about 3× faster), else in JS;
 * with a helper thread, its large products run on two cores.
 */
export function createSparseAffine(W: Matrix, b: Matrix, needsDx: boolean, helper: KernelHelper | null = null): SparseAffineLayer {
  const module = wasmKernelsModule(helper !== null)
  return module ? new WasmSparseAffine(W, b, needsDx, module, helper) : new SparseAffine(W, b, needsDx)
}
