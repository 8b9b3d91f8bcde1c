import { Relu } from './relu'
import { wasmKernelsModule } from './wasm-kernels'
import { WasmRelu } from './wasm-relu'

/** The fast engine's ReLU: in WebAssembly SIMD where the platform has it, else the book's, in JS. The same bits either way. */
export function createRelu(): Relu {
  const module = wasmKernelsModule()
  return module ? new WasmRelu(module) : new Relu()
}
