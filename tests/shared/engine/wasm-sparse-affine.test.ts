import { describe, expect, it } from 'vitest'
import { clone } from '../../../shared/engine/matrix'
import { numericalGradient } from '../../../shared/engine/numerical-gradient'
import { Random } from '../../../shared/engine/random'
import { SparseAffine } from '../../../shared/engine/sparse-affine'
import { WasmSparseAffine } from '../../../shared/engine/wasm-sparse-affine'
import { setWasmKernelsEnabled, wasmKernelsModule } from '../../../shared/engine/wasm-kernels'
import type { Dataset } from '../../../shared/data/dataset'
import type { Engine } from '../../../shared/engine/engine'
import { sparsePixels } from '../../../shared/data/sparse-pixels'
import type { TrainConfig } from '../../../shared/engine/train-config'
import { Trainer } from '../../../shared/engine/trainer'
import { randomMatrix, relativeError, sameBits, sparseMatrix as sparse, weightedSum } from './numeric'

const module = wasmKernelsModule()
if (!module) throw new Error('WebAssembly SIMD is unavailable: the fast kernels cannot be tested here')

describe('WasmSparseAffine', () => {
  it('backward matches numerical gradient for x, W and b', () => {
    const rng = new Random(41)
    const x = sparse(rng, 6, 13, 0.5)
    const layer = new WasmSparseAffine(randomMatrix(rng, 13, 11), randomMatrix(rng, 1, 11), true, module)
    const G = randomMatrix(rng, 6, 11)
    const f = () => weightedSum(layer.forward(x), G)
    layer.forward(x)
    const dx = layer.backward(G).data.slice()
    const dW = layer.dW.data.slice(), db = layer.db.data.slice()
    expect(relativeError(dx, numericalGradient(f, x, 1e-5).data)).toBeLessThan(1e-6)
    expect(relativeError(dW, numericalGradient(f, layer.W, 1e-5).data)).toBeLessThan(1e-6)
    expect(relativeError(db, numericalGradient(f, layer.b, 1e-5).data)).toBeLessThan(1e-6)
  })

  it('gives bit-identical results to SparseAffine across growing batches', () => {
    const rng = new Random(42)
    const W = randomMatrix(rng, 784, 50, 0.01), b = randomMatrix(rng, 1, 50, 0.01)
    const js = new SparseAffine(clone(W), clone(b), true)
    const wasm = new WasmSparseAffine(clone(W), clone(b), true, module)
    for (const [rows, density] of [[3, 0.2], [100, 0.19], [1000, 0.25], [100, 0.9], [7, 1]] as const) {
      const x = sparse(rng, rows, 784, density)
      const dout = randomMatrix(rng, rows, 50)
      expect(sameBits(wasm.forward(x).data, js.forward(x).data)).toBe(true)
      expect(sameBits(wasm.backward(dout).data, js.backward(dout).data)).toBe(true)
      expect(sameBits(wasm.dW.data, js.dW.data)).toBe(true)
      expect(sameBits(wasm.db.data, js.db.data)).toBe(true)
    }
  })

  it('keeps W and b in place when its memory grows, and the caller sees updates', () => {
    const rng = new Random(43)
    const W = randomMatrix(rng, 20, 9), b = randomMatrix(rng, 1, 9)
    const before = W.data.slice()
    const layer = new WasmSparseAffine(W, b, false, module)
    expect(layer.W).toBe(W)
    layer.forward(sparse(rng, 5000, 20, 1))
    expect(W.data).toEqual(before)
    W.data[0] += 1
    expect(layer.W.data[0]).toBe(before[0] + 1)
  })
})

describe('training with the WebAssembly kernels', () => {
  it('gives bit-identical weights to the JS kernels after many SGD steps', () => {
    const rng = new Random(44)
    const count = 300, D = 64
    const images = new Uint8Array(count * D).map(() => (rng.next() < 0.25 ? 1 + rng.int(255) : 0))
    const labels = new Uint8Array(count).map(() => rng.int(4))
    const dense: Dataset = { name: 'synthetic', fingerprint: 'x', rows: 8, cols: 8, classes: 4, train: { images, labels, count }, test: { images, labels, count } }
    const lists = { labels, count, sparse: sparsePixels(images, count, D) }
    const sparse: Dataset = { ...dense, train: lists, test: lists }
    const config: TrainConfig = {
      network: { inputSize: D, hiddenSizes: [19, 11], outputSize: 4, activation: 'relu', weightInit: { kind: 'he' } },
      iters: 1, batchSize: 32, lr: 0.05, seed: 5, evalEvery: 1, evalSamples: 0, sampling: 'replacement',
    }
    const run = (wasm: boolean, data: Dataset, engine: Engine = 'fast') => {
      setWasmKernelsEnabled(wasm)
      try {
        const t = new Trainer(config, data, undefined, { engine })
        for (let i = 0; i < 40; i++) t.step()
        return { params: Object.values(t.net.params).map((p) => p.data.slice()), acc: t.accuracy(data.test) }
      } finally {
        setWasmKernelsEnabled(true)
      }
    }
    // the JS layers scan dense bytes; the WebAssembly ones widen pixel lists in place
    const js = run(false, dense)
    for (const fast of [run(true, sparse), run(true, dense), run(false, sparse), run(true, sparse, 'reference')]) {
      fast.params.forEach((p, i) => expect(sameBits(p, js.params[i])).toBe(true))
      expect(fast.acc).toBe(js.acc)
    }
  })
})
