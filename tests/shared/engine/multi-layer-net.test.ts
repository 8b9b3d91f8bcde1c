import { describe, expect, it } from 'vitest'
import { Affine } from '../../../shared/engine/affine'
import { ENGINES } from '../../../shared/engine/engine'
import { MultiLayerNet } from '../../../shared/engine/multi-layer-net'
import type { NetworkConfig } from '../../../shared/engine/network-config'
import { Random } from '../../../shared/engine/random'
import { SparseRows } from '../../../shared/engine/sparse-rows'
import { randomMatrix, relativeError, sameBits, sparseMatrix } from './numeric'

const small = (over: Partial<NetworkConfig> = {}): NetworkConfig => ({
  inputSize: 6, hiddenSizes: [5, 4], outputSize: 3, activation: 'sigmoid', weightInit: { kind: 'std', std: 0.5 }, ...over,
})

describe('MultiLayerNet', () => {
  for (const engine of ENGINES) {
    for (const activation of ['sigmoid', 'relu'] as const) {
      it(`gradient matches the book's numericalGradient with two ${activation} hidden layers (${engine})`, () => {
        const net = new MultiLayerNet(small({ activation }), new Random(21), engine)
        const x = randomMatrix(new Random(22), 4, 6)
        const t = Int32Array.from([0, 2, 1, 2])
        const num = net.numericalGradient(x, t, 1e-5)
        const grads = net.gradient(x, t)
        expect(Object.keys(grads)).toEqual(['W1', 'b1', 'W2', 'b2', 'W3', 'b3'])
        for (const key in grads) expect(relativeError(grads[key].data, num[key].data), key).toBeLessThan(1e-6)
      })
    }
  }

  it('gives the same loss and gradients, bit for bit, on the reference and the fast engine', () => {
    const config = small({ activation: 'relu', inputSize: 30, hiddenSizes: [12, 9] })
    const reference = new MultiLayerNet(config, new Random(23), 'reference')
    const fast = new MultiLayerNet(config, new Random(23), 'fast')
    expect(reference.affines.every((a) => a instanceof Affine)).toBe(true)
    expect(fast.affines.some((a) => a instanceof Affine)).toBe(false)
    const x = sparseMatrix(new Random(24), 16, 30, 0.3)
    const t = Int32Array.from({ length: 16 }, (_, i) => i % 3)
    const want = reference.gradient(x, t)
    const got = fast.gradient(new SparseRows().load(x), t)
    expect(fast.lastLayer.loss).toBe(reference.lastLayer.loss)
    for (const key in want) expect(sameBits(got[key].data, want[key].data), key).toBe(true)
  })

  it('keeps params and grads keyed W1, b1, … on the layers\' own matrices', () => {
    const net = new MultiLayerNet(small(), new Random(25), 'reference')
    expect(Object.keys(net.params)).toEqual(['W1', 'b1', 'W2', 'b2', 'W3', 'b3'])
    net.affines.forEach((a, i) => {
      expect(net.params[`W${i + 1}`]).toBe(a.W)
      expect(net.grads[`b${i + 1}`]).toBe(a.db)
    })
    expect(() => net.predict(new SparseRows().load(randomMatrix(new Random(26), 2, 6)))).toThrow(/reference engine takes a dense input/)
  })

  it('names parameters W1, b1, … with the book\'s shapes', () => {
    const net = new MultiLayerNet({ ...small(), hiddenSizes: [50], inputSize: 784, outputSize: 10 }, new Random(1))
    expect(net.exportParams().map((p) => `${p.name}[${p.shape}]`)).toEqual(['W1[784,50]', 'b1[50]', 'W2[50,10]', 'b2[10]'])
    expect(net.parameterCount).toBe(39760)
  })

  it('draws weights with the requested std and zero biases', () => {
    const std = (kind: NetworkConfig['weightInit']) => {
      const W = new MultiLayerNet({ ...small(), inputSize: 400, hiddenSizes: [200], weightInit: kind }, new Random(3)).params.W1.data
      return Math.sqrt(W.reduce((s, v) => s + v * v, 0) / W.length)
    }
    expect(std({ kind: 'std', std: 0.01 })).toBeCloseTo(0.01, 3)
    expect(std({ kind: 'xavier' })).toBeCloseTo(1 / 20, 2)
    expect(std({ kind: 'he' })).toBeCloseTo(Math.sqrt(2 / 400), 2)
    const net = new MultiLayerNet(small(), new Random(3))
    expect(net.params.b1.data.every((v) => v === 0)).toBe(true)
  })

  it('accuracy counts argmax hits against index and one-hot labels alike', () => {
    const net = new MultiLayerNet(small(), new Random(5))
    const x = randomMatrix(new Random(6), 8, 6)
    const y = net.predict(x)
    const labels = new Int32Array(8)
    for (let i = 0; i < 8; i++) {
      let best = 0
      for (let j = 1; j < 3; j++) if (y.data[i * 3 + j] > y.data[i * 3 + best]) best = j
      labels[i] = i < 6 ? best : (best + 1) % 3
    }
    expect(net.accuracy(x, labels)).toBe(6 / 8)
  })

  it('round-trips its parameters through export and import', () => {
    const a = new MultiLayerNet(small(), new Random(7))
    const b = new MultiLayerNet(small(), new Random(8))
    b.importParams(a.exportParams())
    const x = randomMatrix(new Random(9), 3, 6)
    expect(b.predict(x).data).toEqual(a.predict(x).data)
    expect(() => b.importParams(a.exportParams().slice(1))).toThrow(/expected 6 parameters/)
  })

  it('gives identical weights for the same seed and different ones for another', () => {
    const w = (seed: number) => new MultiLayerNet(small(), new Random(seed)).params.W1.data
    expect(w(42)).toEqual(w(42))
    expect(w(42)).not.toEqual(w(43))
  })
})
