import type { Matrix } from './matrix'
import { Relu } from './relu'
import { instantiateKernels, newMemory, type WasmKernels, type WasmMemory, type WasmModule } from './wasm-kernels'

const PAGE = 65536

/**
 * y = max(0, x), elementwise, in WebAssembly SIMD.  x, y: (N, n)
 *
 * The book's Relu (relu.ts) with the same bits (y = x·m + 0, dx = dout·m + 0, m the 0/1 mask),
 * two entries per instruction: a JS loop takes ~2 ns an entry here, which at 1000 hidden units is
 * 0.4 ms a step. x and dout are copied into this layer's memory and rectified in place there; y,
 * dx and the mask are views of it, valid until the next call (as Relu's own arrays are reused).
 */
export class WasmRelu extends Relu {
  private readonly memory: WasmMemory
  private readonly k: WasmKernels
  /** Entries each of the three regions (x then y; dout then dx; the mask) holds. */
  private cap = 0
  /** Views of the last call's regions, reused while the size and the buffer stay the same. */
  private yView: Float64Array<ArrayBufferLike> = new Float64Array(0)
  private dxView: Float64Array<ArrayBufferLike> = new Float64Array(0)

  constructor(module: WasmModule) {
    super()
    this.memory = newMemory(1)
    this.k = instantiateKernels(module, this.memory)
  }

  override forward(x: Matrix): Matrix {
    const n = x.rows * x.cols
    this.reserve(n)
    const buf = this.memory.buffer
    if (this.yView.length !== n || this.yView.buffer !== buf) {
      this.yView = new Float64Array(buf, 0, n)
      this.mask = new Uint8Array(buf, this.offMask, n)
    }
    this.yView.set(x.data.subarray(0, n))
    this.k.relu_forward(n, 0, this.offMask)
    return { rows: x.rows, cols: x.cols, data: this.yView }
  }

  override backward(dout: Matrix): Matrix {
    const n = dout.rows * dout.cols
    if (n !== this.mask.length) throw new RangeError(`WasmRelu.backward: dout has ${n} entries, the last forward had ${this.mask.length}`)
    const buf = this.memory.buffer
    if (this.dxView.length !== n || this.dxView.buffer !== buf || this.dxView.byteOffset !== this.offDout) this.dxView = new Float64Array(buf, this.offDout, n)
    this.dxView.set(dout.data.subarray(0, n))
    this.k.relu_backward(n, this.offDout, this.offMask)
    return { rows: dout.rows, cols: dout.cols, data: this.dxView }
  }

  private get offDout(): number {
    return this.cap * 8
  }

  private get offMask(): number {
    return this.cap * 16
  }

  /** Room for n entries in each region; growing keeps no entries (a forward pass refills them). */
  private reserve(n: number): void {
    if (n <= this.cap) return
    const cap = Math.max(n, Math.ceil(this.cap * 1.25))
    const bytes = cap * 17 + 16
    const have = this.memory.buffer.byteLength
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / PAGE))
    this.cap = cap
  }
}
