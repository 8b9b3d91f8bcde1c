import { decodeBase64 } from '../model/base64'
import { WASM_KERNELS_BASE64 } from './wasm-kernels-binary'

/** The exports of wasm-kernels.wat; every pointer is a byte offset into the instance's memory. */
export interface WasmKernels {
  affine(R: number, M: number, T: number, starts: number, idx: number, vals: number, W: number, b: number, out: number): void
  matmul_ta_rows(R: number, M: number, K: number, T: number, starts: number, idx: number, vals: number, dout: number, dW: number): void
  sgd(n: number, lr: number, W: number, dW: number): void
  expand_pixels(n: number, idx16: number, val8: number, lut: number, idx32: number, vals: number): void
  matmul_tb(N: number, M: number, K: number, dout: number, W: number, dx: number): void
  csr_from_dense(N: number, K: number, x: number, starts: number, idx: number, vals: number): number
}

/** The little of the WebAssembly API the engine uses, typed here so shared/ needs neither the DOM nor Node typings. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer
  grow(pages: number): number
}
export type WasmModule = object
interface WasmApi {
  validate(bytes: Uint8Array): boolean
  Module: new (bytes: Uint8Array) => WasmModule
  Instance: new (module: WasmModule, imports: object) => { exports: unknown }
  Memory: new (descriptor: { initial: number }) => WasmMemory
}

const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly
let compiled: WasmModule | null | undefined
let enabled = true

/** Turns the WebAssembly kernels off (or back on) for layers created afterwards: for tests and benchmarks. */
export function setWasmKernelsEnabled(on: boolean): void {
  enabled = on
}

/** The compiled kernels, or null where WebAssembly SIMD is missing or the kernels are turned off. */
export function wasmKernelsModule(): WasmModule | null {
  if (!enabled || !wasm) return null
  if (compiled === undefined) {
    try {
      const bytes = decodeBase64(WASM_KERNELS_BASE64, 'wasm-kernels')
      compiled = wasm.validate(bytes) ? new wasm.Module(bytes) : null
    } catch {
      compiled = null
    }
  }
  return compiled
}

export function newMemory(pages: number): WasmMemory {
  if (!wasm) throw new Error('WebAssembly is unavailable')
  return new wasm.Memory({ initial: pages })
}

export function instantiateKernels(module: WasmModule, memory: WasmMemory): WasmKernels {
  if (!wasm) throw new Error('WebAssembly is unavailable')
  const kernels = new wasm.Instance(module, { env: { memory } }).exports as WasmKernels
  kernelsOverBuffer(memory, kernels)
  return kernels
}

/** The kernels instantiated over each WebAssembly memory, by its current buffer. */
const byBuffer = new WeakMap<ArrayBuffer, WasmKernels>()

/** Records the kernels that work in `memory`; called again after the memory grows (its buffer is then new). */
export function kernelsOverBuffer(memory: WasmMemory, kernels: WasmKernels): void {
  byBuffer.set(memory.buffer, kernels)
}

/** Kernels that can work on both arrays in place (they view one WebAssembly memory), or null. */
export function wasmKernelsOver(a: Float64Array, b: Float64Array): WasmKernels | null {
  return a.buffer === b.buffer ? byBuffer.get(a.buffer as ArrayBuffer) ?? null : null
}
