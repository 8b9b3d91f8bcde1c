import { decodeBase64 } from '../model/base64'
import { WASM_KERNELS_BASE64, WASM_KERNELS_FUSED_BASE64, WASM_KERNELS_FUSED_SHARED_BASE64, WASM_KERNELS_SHARED_BASE64 } from './wasm-kernels-binary'

/** The exports of wasm-kernels.wat; every pointer is a byte offset into the instance's memory. */
export interface WasmKernels {
  /**
   * out = x·W + b, T columns at a time, each tile's columns of W starting S bytes after the last's
   * (T·8 for W as it is, K·T·8 for pack_panels' panels); `offs` lists x's nonzeros as byte offsets
   * of W's rows (k·M·8, or k·T·8 in panels), not as k. out's rows lie D bytes apart (M·8, or more
   * when these M columns are part of a wider out).
   */
  affine(R: number, M: number, T: number, S: number, starts: number, offs: number, vals: number, W: number, b: number, out: number, D: number): void
  /** W (K, M) as panels of T columns, each (K, T): see affine. */
  pack_panels(K: number, M: number, T: number, W: number, panels: number): void
  sgd(n: number, lr: number, W: number, dW: number): void
  /** sgd over rows [k0, k1) of W (K, M), each updated row also written to W's panels (pack_panels' layout, S = K·T·8). */
  sgd_panels(k0: number, k1: number, M: number, T: number, S: number, lr: number, W: number, dW: number, panels: number): void
  sum_rows(N: number, M: number, dout: number, db: number): void
  sum_squares(n: number, a: number): number
  /** dW = xᵀ·dout along x's row lists (offs: each nonzero's k·M·8), dW's KM8 bytes zeroed first. */
  dw_scatter(R: number, KM8: number, M: number, starts: number, offs: number, vals: number, dout: number, dW: number): void
  csc_from_csr(R: number, K: number, starts: number, idx: number, vals: number, colStarts: number, cursor: number, rowIdx: number, colVals: number, scale: number): void
  expand_pixels(n: number, idx16: number, val8: number, lut: number, idx32: number, vals: number, scale: number, offs: number): void
  scale_indices(n: number, idx: number, scale: number, offs: number): void
  transpose(K: number, M: number, src: number, dst: number): void
  csr_from_dense(N: number, K: number, x: number, starts: number, idx: number, vals: number, scale: number, offs: number): number
  relu_forward(n: number, x: number, mask: number): void
  relu_backward(n: number, dout: number, mask: number): void
}

/** The little of the WebAssembly API the engine uses, typed here so shared/ needs neither the DOM nor Node typings. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer
  grow(pages: number): number
}

/**
 * Pages a shared kernel memory may grow to (2 GiB). A layer's memory is shared when a helper
 * thread runs shares of its products in it; a shared memory is reserved at its maximum up front
 * (address space only: pages cost nothing until used).
 */
export const MAX_PAGES = 32768
export type WasmModule = object
interface WasmApi {
  validate(bytes: Uint8Array): boolean
  Module: new (bytes: Uint8Array) => WasmModule
  Instance: new (module: WasmModule, imports: object) => { exports: unknown }
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory
}

const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly

/**
 * fused: every multiply-add of the products is one f64x2.relaxed_madd (an FMA on CPUs that have
 * one), rounding once where exact rounds the product and then the sum. A fused run differs from
 * the JS kernels in the last bits (tests hold it within 1e-12) and is bit-reproducible for a given
 * build and CPU; exact gives the JS kernels' bits. Relaxed SIMD is on in current V8 (Electron);
 * Node 20 needs --experimental-wasm-relaxed-simd, without which only exact loads.
 */
export type KernelBuild = 'fused' | 'exact'
const BASE64: Record<KernelBuild, readonly [unshared: string, shared: string]> = {
  fused: [WASM_KERNELS_FUSED_BASE64, WASM_KERNELS_FUSED_SHARED_BASE64],
  exact: [WASM_KERNELS_BASE64, WASM_KERNELS_SHARED_BASE64],
}
const compiled = new Map<string, WasmModule | null>()
let enabled = true
let fusedAllowed = true

/** Turns the WebAssembly kernels off (or back on) for layers created afterwards: for tests and benchmarks. */
export function setWasmKernelsEnabled(on: boolean): void {
  enabled = on
}

/** Lets layers created afterwards use the fused build where it loads (the default), or only the exact one. */
export function setFusedKernelsAllowed(on: boolean): void {
  fusedAllowed = on
}

/** One build of the kernels, for an unshared or a shared memory, compiled once; null where this runtime cannot load it. */
export function kernelBuild(build: KernelBuild, shared = false): WasmModule | null {
  if (!wasm) return null
  const key = `${build}${shared ? ' shared' : ''}`
  let module = compiled.get(key)
  if (module === undefined) {
    try {
      const bytes = decodeBase64(BASE64[build][shared ? 1 : 0], 'wasm-kernels')
      module = wasm.validate(bytes) ? new wasm.Module(bytes) : null
    } catch {
      module = null
    }
    compiled.set(key, module)
  }
  return module
}

/** Which build new layers get: fused where it loads and is allowed, else exact; null without WebAssembly SIMD or when turned off. */
export function activeKernelBuild(): KernelBuild | null {
  if (!enabled) return null
  if (fusedAllowed && kernelBuild('fused')) return 'fused'
  return kernelBuild('exact') ? 'exact' : null
}

/** The compiled kernels new layers use (see activeKernelBuild), for an unshared or a shared memory, or null. */
export function wasmKernelsModule(shared = false): WasmModule | null {
  const build = activeKernelBuild()
  return build ? kernelBuild(build, shared) : null
}

export function newMemory(pages: number, shared = false): WasmMemory {
  if (!wasm) throw new Error('WebAssembly is unavailable')
  return new wasm.Memory(shared ? { initial: pages, maximum: MAX_PAGES, shared } : { initial: pages })
}

export function instantiateKernels(module: WasmModule, memory: WasmMemory): WasmKernels {
  if (!wasm) throw new Error('WebAssembly is unavailable')
  const kernels = new wasm.Instance(module, { env: { memory } }).exports as WasmKernels
  kernelsOverBuffer(memory, kernels)
  return kernels
}

/** The kernels instantiated over each WebAssembly memory, by its current buffer. */
const byBuffer = new WeakMap<ArrayBuffer | SharedArrayBuffer, WasmKernels>()

/** Records the kernels that work in `memory`; called again after the memory grows (its buffer is then new). */
export function kernelsOverBuffer(memory: WasmMemory, kernels: WasmKernels): void {
  byBuffer.set(memory.buffer, kernels)
}

/** Kernels that can work on both arrays in place (they view one WebAssembly memory), or null. */
export function wasmKernelsOver(a: Float64Array, b: Float64Array): WasmKernels | null {
  return a.buffer === b.buffer ? byBuffer.get(a.buffer) ?? null : null
}
