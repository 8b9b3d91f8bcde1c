import { describe, expect, it } from 'vitest'
import { loadDefaultDataset } from '../../../electron/services/dataset-loader'
import { fillBatch } from '../../../shared/data/fill-batch'
import { gradientCheck } from '../../../shared/engine/gradient-check'
import { zeros } from '../../../shared/engine/matrix'
import { MultiLayerNet } from '../../../shared/engine/multi-layer-net'
import type { NetworkConfig } from '../../../shared/engine/network-config'
import { Random } from '../../../shared/engine/random'
import { randomMatrix, relativeError } from './numeric'

const config = (over: Partial<NetworkConfig> = {}): NetworkConfig => ({
  inputSize: 8, hiddenSizes: [6, 5], outputSize: 4, activation: 'relu', weightInit: { kind: 'std', std: 0.5 }, ...over,
})

describe('gradientCheck', () => {
  it('agrees with the full-forward numerical gradient on every element', () => {
    const net = new MultiLayerNet(config({ activation: 'sigmoid' }), new Random(31))
    const x = randomMatrix(new Random(32), 3, 8)
    const t = Int32Array.from([1, 3, 0])
    const results = gradientCheck(net, x, t)
    expect(results.map((r) => r.name)).toEqual(['W1', 'b1', 'W2', 'b2', 'W3', 'b3'])
    for (const r of results) {
      expect(r.kinks).toBe(0)
      expect(r.count).toBe(r.shape.reduce((a, b) => a * b, 1))
      expect(r.meanAbs, r.name).toBeLessThan(1e-9)
      expect(r.maxRel, r.name).toBeLessThan(1e-6)
    }
  })

  it('backprop on the reference (dense) net agrees with the book\'s numericalGradient, and so does gradientCheck', () => {
    const net = new MultiLayerNet(config({ activation: 'sigmoid' }), new Random(31), 'reference')
    const x = randomMatrix(new Random(32), 3, 8)
    const t = Int32Array.from([1, 3, 0])
    const num = net.numericalGradient(x, t)
    const grads = net.gradient(x, t)
    for (const key in num) expect(relativeError(grads[key].data, num[key].data), key).toBeLessThan(1e-6)
    for (const r of gradientCheck(net, x, t)) expect(r.maxRel, r.name).toBeLessThan(1e-6)
  })

  it('backprop on the reference net agrees with the book\'s numericalGradient on MNIST images', async () => {
    const mnist = await loadDefaultDataset()
    const net = new MultiLayerNet({ ...config(), inputSize: 784, hiddenSizes: [10], outputSize: 10, weightInit: { kind: 'std', std: 0.01 } }, new Random(39), 'reference')
    const x = zeros(3, 784), t = new Int32Array(3)
    fillBatch(mnist.train, null, 0, x, t)
    const num = net.numericalGradient(x, t)
    const grads = net.gradient(x, t)
    for (const key in num) {
      let sum = 0
      for (let i = 0; i < num[key].data.length; i++) sum += Math.abs(grads[key].data[i] - num[key].data[i])
      // mean |backprop − numerical| per parameter, as the book's gradient_check.py prints it
      expect(sum / num[key].data.length, key).toBeLessThan(1e-8)
    }
  })

  it('detects a wrong backward pass', () => {
    const net = new MultiLayerNet(config({ activation: 'sigmoid' }), new Random(33))
    const x = randomMatrix(new Random(34), 3, 8)
    const t = Int32Array.from([0, 1, 2])
    const original = net.gradient.bind(net)
    net.gradient = (xx, tt) => {
      const g = original(xx, tt)
      g.W2.data[5] += 1e-3
      return g
    }
    const w2 = gradientCheck(net, x, t).find((r) => r.name === 'W2')!
    expect(w2.maxAbs).toBeGreaterThan(9e-4)
    expect(w2.maxRel).toBeGreaterThan(1e-2)
  })

  it('counts elements whose perturbation crosses a ReLU kink and leaves them out', () => {
    const net = new MultiLayerNet(config({ hiddenSizes: [6] }), new Random(35))
    const x = randomMatrix(new Random(36), 2, 8)
    // put one hidden pre-activation 1e-6 above 0, so W1[0][2] ± 1e-4·x[0][0] crosses it
    x.data[0] = 1
    net.predict(x)
    const a = net.layers[0].forward(x).data[2]
    net.params.b1.data[2] -= a - 1e-6
    const w1 = gradientCheck(net, x, Int32Array.from([0, 1])).find((r) => r.name === 'W1')!
    expect(w1.kinks).toBeGreaterThanOrEqual(1)
    expect(w1.count + w1.kinks).toBe(8 * 6)
    expect(w1.meanAbs).toBeLessThan(1e-8)
  })

  it('leaves the parameters exactly as it found them', () => {
    const net = new MultiLayerNet(config(), new Random(37))
    const before = Object.values(net.params).map((p) => p.data.slice())
    gradientCheck(net, randomMatrix(new Random(38), 3, 8), Int32Array.from([0, 1, 2]))
    Object.values(net.params).forEach((p, i) => expect(p.data).toEqual(before[i]))
  })
})
