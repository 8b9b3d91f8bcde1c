import { describe, expect, it } from 'vitest'
import { runKernelCall, type AffineArgs, type KernelCall, type KernelHelper } from '../../../shared/engine/kernel-helper'
import { clone } from '../../../shared/engine/matrix'
import { Random } from '../../../shared/engine/random'
import { SparseAffine } from '../../../shared/engine/sparse-affine'
import { WasmSparseAffine } from '../../../shared/engine/wasm-sparse-affine'
import type { WasmKernels, WasmMemory, WasmModule } from '../../../shared/engine/wasm-kernels'
import { instantiateKernels, newMemory, wasmKernelsModule, wasmKernelsOver } from '../../../shared/engine/wasm-kernels'
import { Sgd } from '../../../shared/engine/sgd'
import { randomMatrix, sameBits, sparseMatrix as sparse } from './numeric'

const module = wasmKernelsModule()
/** The build for a shared memory, which a layer with a helper works in. */
const sharedModule = wasmKernelsModule(true)
if (!module || !sharedModule) throw new Error('WebAssembly SIMD is unavailable: the fast kernels cannot be tested here')

/**
 * A helper on this thread: it runs its share at finish(), after this thread's, and reports a
 * made-up time so that the layer moves the split around. The shares must still add up to the
 * whole product, bit for bit.
 */
class SameThreadHelper implements KernelHelper {
  calls = 0
  columnLists = 0
  sgdShares = 0
  panelShares = 0
  /** The arguments of each affine share, in order. */
  readonly affineShares: AffineArgs[] = []
  rests = 0
  wakes = 0
  warm = false
  private pending: (() => void) | null = null
  constructor(private readonly times: () => number) {}
  start(_memory: WasmMemory, _module: WasmModule, kernels: WasmKernels, call: KernelCall): void {
    if (this.pending) this.finish()
    this.calls++
    if (call.kernel === 'csc_from_csr') this.columnLists++
    if (call.kernel === 'sgd') this.sgdShares++
    if (call.kernel === 'sgd_panels') this.panelShares++
    if (call.kernel === 'affine') this.affineShares.push(call.args)
    this.pending = () => runKernelCall(kernels, call)
  }
  finish(): number {
    this.pending?.()
    this.pending = null
    return this.times()
  }
  wake(): void {
    this.wakes++
  }
  resting = false
  ready = true
  rest(): void {
    this.rests++
  }
}

describe('WasmSparseAffine kernels', () => {
  it('match the JS kernels bit for bit at every width (blocks of 14, 12, 10 and 8, pairs, single columns)', () => {
    const rng = new Random(7)
    // K = 43: rows of W past the transpose's last block of 8
    for (const K of [40, 43]) for (const M of [1, 2, 3, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 20, 22, 23, 24, 28, 30, 50, 56, 64, 100]) {
      const W = randomMatrix(rng, K, M), b = randomMatrix(rng, 1, M)
      const js = new SparseAffine(clone(W), clone(b), true)
      const wasm = new WasmSparseAffine(clone(W), clone(b), true, module)
      const x = sparse(rng, 9, K, 0.4)
      const dout = randomMatrix(rng, 9, M)
      expect(sameBits(wasm.forward(x).data, js.forward(x).data), `forward, ${K}×${M}`).toBe(true)
      expect(sameBits(wasm.backward(dout).data, js.backward(dout).data), `dx, ${K}×${M}`).toBe(true)
      expect(sameBits(wasm.dW.data, js.dW.data), `dW, ${K}×${M}`).toBe(true)
      expect(sameBits(wasm.db.data, js.db.data), `db, ${K}×${M}`).toBe(true)
    }
  })

  it('lay W out in panels of T columns, each row T·8 bytes after the last, a last narrower panel at the same stride', () => {
    const memory = newMemory(1)
    const k = instantiateKernels(module, memory)
    const K = 5, M = 7, T = 3, panels = 1024
    const W = new Float64Array(memory.buffer, 0, K * M)
    for (let i = 0; i < W.length; i++) W[i] = i + 1
    k.pack_panels(K, M, T, 0, panels)
    const out = new Float64Array(memory.buffer, panels, 3 * K * T)
    for (let t = 0; t < 3; t++) for (let r = 0; r < K; r++) for (let c = 0; c < T && t * T + c < M; c++) {
      expect(out[t * K * T + r * T + c], `panel ${t}, row ${r}, column ${c}`).toBe(W[r * M + t * T + c])
    }
    // the last panel holds one column: its other places stay as they were
    expect(out[2 * K * T + 1]).toBe(0)
  })

  it('update rows [k0, k1) of W as sgd does and write them to their places in the panels, nothing else', () => {
    const memory = newMemory(1)
    const k = instantiateKernels(module, memory)
    const K = 5, M = 7, T = 3, lr = 0.1, S = K * T * 8
    const W = 0, dW = 512, panels = 1024, expectW = 2048, expectPanels = 3072
    const f = new Float64Array(memory.buffer)
    for (let i = 0; i < K * M; i++) {
      f[W / 8 + i] = f[expectW / 8 + i] = Math.sin(i + 1)
      f[dW / 8 + i] = Math.cos(3 * i)
    }
    f.fill(-1, panels / 8, panels / 8 + 3 * K * T)
    f.fill(-1, expectPanels / 8, expectPanels / 8 + 3 * K * T)
    // rows 1–3 only: the expected result by sgd over those rows, then pack_panels of all of W over a copy
    k.sgd(3 * M, lr, expectW + M * 8, dW + M * 8)
    const packed = 4096
    k.pack_panels(K, M, T, expectW, packed)
    for (let r = 1; r < 4; r++) for (let i = 0; i < M; i++) f[expectPanels / 8 + Math.floor(i / T) * K * T + r * T + (i % T)] = f[packed / 8 + Math.floor(i / T) * K * T + r * T + (i % T)]
    k.sgd_panels(1, 4, M, T, S, lr, W, dW, panels)
    expect(sameBits(f.subarray(W / 8, W / 8 + K * M), f.subarray(expectW / 8, expectW / 8 + K * M)), 'W').toBe(true)
    expect(sameBits(f.subarray(panels / 8, panels / 8 + 3 * K * T), f.subarray(expectPanels / 8, expectPanels / 8 + 3 * K * T)), 'panels').toBe(true)
  })

  it('give the same bits when a helper takes a share of each product, wherever the split falls', () => {
    const rng = new Random(8)
    // times that swing the helper's share between its bounds from call to call
    let call = 0
    const helper = new SameThreadHelper(() => (call++ % 3 === 0 ? 0.01 : 5))
    // 784×301: forward reads W in panels
    for (const [K, M] of [[784, 50], [784, 200], [784, 301], [300, 64]] as const) {
      const W = randomMatrix(rng, K, M, 0.05), b = randomMatrix(rng, 1, M)
      const alone = new WasmSparseAffine(clone(W), clone(b), true, module)
      const shared = new WasmSparseAffine(clone(W), clone(b), true, sharedModule, helper)
      for (let step = 0; step < 6; step++) {
        // a helper not up yet: the product runs here alone
        helper.ready = step % 3 !== 2
        const x = sparse(rng, 100, K, 0.2)
        const dout = randomMatrix(rng, 100, M)
        // a training pass (odd steps) has the helper list x's nonzeros by column in the background
        expect(sameBits(shared.forward(x, step % 2 === 1).data, alone.forward(x).data)).toBe(true)
        expect(sameBits(shared.backward(dout).data, alone.backward(dout).data)).toBe(true)
        expect(sameBits(shared.dW.data, alone.dW.data)).toBe(true)
        expect(sameBits(shared.db.data, alone.db.data)).toBe(true)
      }
    }
    // the products were shared, the column lists made in the background, and the helper woken ahead
    expect(helper.calls).toBeGreaterThan(0)
    expect(helper.columnLists).toBeGreaterThan(0)
    expect(helper.wakes).toBeGreaterThan(0)
  })

  it('split a product of 2¹⁸–2²⁰ multiply-adds only while the helper still spins from its last share', () => {
    const rng = new Random(9)
    const helper = new SameThreadHelper(() => 1)
    // 100 rows of 40 nonzeros times 100 columns: 400k multiply-adds
    const W = randomMatrix(rng, 400, 100, 0.05), b = randomMatrix(rng, 1, 100)
    const alone = new WasmSparseAffine(clone(W), clone(b), true, module)
    const shared = new WasmSparseAffine(clone(W), clone(b), true, sharedModule, helper)
    const x = sparse(rng, 100, 400, 0.1)
    const nnz = x.data.filter((v) => v !== 0).length
    expect(nnz * 100).toBeGreaterThan(1 << 18)
    expect(nnz * 100).toBeLessThan(1 << 20)
    expect(sameBits(shared.forward(x).data, alone.forward(x).data)).toBe(true)
    expect(helper.calls).toBe(0)
    helper.warm = true
    expect(sameBits(shared.forward(x).data, alone.forward(x).data)).toBe(true)
    expect(helper.calls).toBe(1)
    // too small even then: 100 × 40 × 10
    const small = new WasmSparseAffine(randomMatrix(rng, 400, 10), randomMatrix(rng, 1, 10), true, sharedModule, helper)
    small.forward(x)
    expect(helper.calls).toBe(1)
  })

  it("sum the squares of a layer's W in WebAssembly as JS does, to rounding (the watchdog's norms)", () => {
    const rng = new Random(10)
    for (const [K, M] of [[7, 3], [784, 50], [33, 1]] as const) {
      const layer = new WasmSparseAffine(randomMatrix(rng, K, M), randomMatrix(rng, 1, M), false, module)
      const k = wasmKernelsOver(layer.W.data, layer.W.data)
      expect(k).not.toBeNull()
      const w = layer.W.data
      const js = w.reduce((s, v) => s + v * v, 0)
      expect(Math.abs(k!.sum_squares(w.length, w.byteOffset) - js) / js).toBeLessThan(1e-13)
    }
  })

  it('keeps small products on this thread', () => {
    const rng = new Random(9)
    const helper = new SameThreadHelper(() => 1)
    const layer = new WasmSparseAffine(randomMatrix(rng, 50, 10), randomMatrix(rng, 1, 10), true, sharedModule, helper)
    layer.forward(sparse(rng, 100, 50, 0.5))
    layer.backward(randomMatrix(rng, 100, 10))
    expect(helper.calls).toBe(0)
  })

  it("share a wide layer's forward by panels of columns, all rows each, and a narrow layer's by rows", () => {
    const rng = new Random(13)
    const helper = new SameThreadHelper(() => 1)
    const x = sparse(rng, 40, 784, 0.2)
    // 784 × 301: panels of 72 columns, five of them (the last 13 wide)
    const wide = new WasmSparseAffine(randomMatrix(rng, 784, 301, 0.05), randomMatrix(rng, 1, 301), false, sharedModule, helper)
    wide.forward(x)
    const [R, M, T, , , , , , , , D] = helper.affineShares.at(-1)!
    expect(R).toBe(40)
    expect(M % T === 301 % T && M < 301).toBe(true)
    expect(D).toBe(301 * 8)
    // 784 × 200: W as it is, split by rows
    const narrow = new WasmSparseAffine(randomMatrix(rng, 784, 200, 0.05), randomMatrix(rng, 1, 200), false, sharedModule, helper)
    narrow.forward(x)
    const [rows, cols] = helper.affineShares.at(-1)!
    expect(rows).toBeLessThan(40)
    expect(cols).toBe(200)
  })

  it("write a wide layer's panels in its SGD step, shared with the helper by rows, for the next forward: the JS layer's bits, step after step", () => {
    const rng = new Random(12)
    const helper = new SameThreadHelper(() => 1)
    // 784 × 301 and 784 × 433 are read in panels of 72 columns, the last one ragged (and odd)
    for (const M of [301, 433]) {
      const W = randomMatrix(rng, 784, M, 0.05), b = randomMatrix(rng, 1, M)
      const js = new SparseAffine(clone(W), clone(b))
      const alone = new WasmSparseAffine(clone(W), clone(b), false, module)
      const shared = new WasmSparseAffine(clone(W), clone(b), false, sharedModule, helper)
      const before = helper.panelShares
      for (let step = 0; step < 4; step++) {
        const x = sparse(rng, 30, 784, 0.2), dout = randomMatrix(rng, 30, M)
        const out = js.forward(x).data
        for (const layer of [alone, shared]) {
          expect(sameBits(layer.forward(x, true).data, out), `forward, ${M} columns, step ${step}`).toBe(true)
          layer.backward(dout)
          new Sgd(0.1).update({ W: layer.W, b: layer.b }, { W: layer.dW, b: layer.db })
        }
        js.backward(dout)
        new Sgd(0.1).update({ W: js.W, b: js.b }, { W: js.dW, b: js.db })
        expect(sameBits(shared.W.data, js.W.data), `W, ${M} columns, step ${step}`).toBe(true)
      }
      expect(helper.panelShares - before, `${M} columns`).toBe(4)
      // W written between forwards (an import, a gradient check's nudge) is what the next forward reads
      const x = sparse(rng, 30, 784, 0.2)
      for (const layer of [alone, shared, js]) layer.forward(x)
      for (const layer of [alone, shared, js]) layer.W.data[5 * M + 7] += 0.25
      const out = js.forward(x).data
      expect(sameBits(alone.forward(x).data, out), `after a write to W, ${M} columns`).toBe(true)
      expect(sameBits(shared.forward(x).data, out), `after a write to W, ${M} columns, helper`).toBe(true)
    }
  })

  it("split a large layer's SGD step with the helper, to the same bits (odd lengths included)", () => {
    const rng = new Random(11)
    const helper = new SameThreadHelper(() => 1)
    // 784 × 201: 157,584 weights, past the split's 2¹⁷; b stays on this thread
    for (const M of [200, 201]) {
      const W = randomMatrix(rng, 784, M, 0.05), b = randomMatrix(rng, 1, M)
      const alone = new WasmSparseAffine(clone(W), clone(b), false, module)
      const shared = new WasmSparseAffine(clone(W), clone(b), false, sharedModule, helper)
      const x = sparse(rng, 20, 784, 0.2), dout = randomMatrix(rng, 20, M)
      const before = helper.sgdShares
      for (const layer of [alone, shared]) {
        layer.forward(x, true)
        layer.backward(dout)
        new Sgd(0.1).update({ W: layer.W, b: layer.b }, { W: layer.dW, b: layer.db })
      }
      expect(sameBits(shared.W.data, alone.W.data), `W, ${M} columns`).toBe(true)
      expect(sameBits(shared.b.data, alone.b.data), `b, ${M} columns`).toBe(true)
      expect(sameBits(alone.W.data, W.data), 'the step changed W').toBe(false)
      expect(helper.sgdShares - before, `${M} columns`).toBe(1)
    }
  })
})
