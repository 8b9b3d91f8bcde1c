import { describe, expect, it } from 'vitest'
import { MultiLayerNet } from '../../../shared/engine/multi-layer-net'
import type { NetworkConfig } from '../../../shared/engine/network-config'
import { Random } from '../../../shared/engine/random'
import { randomMatrix, relativeError } from './numeric'

const small = (over: Partial<NetworkConfig> = {}): NetworkConfig => ({
  inputSize: 6, hiddenSizes: [5, 4], outputSize: 3, activation: 'sigmoid', weightInit: { kind: 'std', std: 0.5 }, ...over,
})

describe('MultiLayerNet', () => {
  for (const activation of ['sigmoid', 'relu'] as const) {
    it(`gradient matches numericalGradient with two ${activation} hidden layers`, () => {
      const net = new MultiLayerNet(small({ activation }), new Random(21))
      const x = randomMatrix(new Random(22), 4, 6)
      const t = Int32Array.from([0, 2, 1, 2])
      const num = net.numericalGradient(x, t, 1e-5)
      const grads = net.gradient(x, t)
      grads.forEach((g, i) => expect(relativeError(g.data, num[i].data), net.names[i]).toBeLessThan(1e-6))
    })
  }

  it('names parameters W1, b1, … with the book\'s shapes', () => {
    const net = new MultiLayerNet({ ...small(), hiddenSizes: [50], inputSize: 784, outputSize: 10 }, new Random(1))
    expect(net.exportParams().map((p) => `${p.name}[${p.shape}]`)).toEqual(['W1[784,50]', 'b1[50]', 'W2[50,10]', 'b2[10]'])
    expect(net.parameterCount).toBe(39760)
  })

  it('draws weights with the requested std and zero biases', () => {
    const std = (kind: NetworkConfig['weightInit']) => {
      const W = new MultiLayerNet({ ...small(), inputSize: 400, hiddenSizes: [200], weightInit: kind }, new Random(3)).params[0].data
      return Math.sqrt(W.reduce((s, v) => s + v * v, 0) / W.length)
    }
    expect(std({ kind: 'std', std: 0.01 })).toBeCloseTo(0.01, 3)
    expect(std({ kind: 'xavier' })).toBeCloseTo(1 / 20, 2)
    expect(std({ kind: 'he' })).toBeCloseTo(Math.sqrt(2 / 400), 2)
    const net = new MultiLayerNet(small(), new Random(3))
    expect(net.params[1].data.every((v) => v === 0)).toBe(true)
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
    const w = (seed: number) => new MultiLayerNet(small(), new Random(seed)).params[0].data
    expect(w(42)).toEqual(w(42))
    expect(w(42)).not.toEqual(w(43))
  })
})
