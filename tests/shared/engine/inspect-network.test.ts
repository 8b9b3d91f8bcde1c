import { describe, expect, it } from 'vitest'
import { inspectNetwork } from '../../../shared/engine/inspect-network'
import { MultiLayerNet } from '../../../shared/engine/multi-layer-net'
import type { NetworkConfig } from '../../../shared/engine/network-config'
import { Random } from '../../../shared/engine/random'
import { randomMatrix, relativeError } from './numeric'

const config = (over: Partial<NetworkConfig> = {}): NetworkConfig => ({
  inputSize: 12, hiddenSizes: [10, 10, 10, 10], outputSize: 5, activation: 'sigmoid', weightInit: { kind: 'xavier' }, ...over,
})
const labels = (rng: Random, n: number, k: number) => Int32Array.from({ length: n }, () => rng.int(k))

describe('inspectNetwork', () => {
  it('names the layers by kind from the input, with the shapes of the batch', () => {
    const net = new MultiLayerNet(config({ hiddenSizes: [7, 6], activation: 'relu' }), new Random(1), 'reference')
    const r = inspectNetwork(net, randomMatrix(new Random(2), 9, 12), labels(new Random(3), 9, 5))
    expect(r.batchSize).toBe(9)
    expect(r.layers.map((l) => l.name)).toEqual(['Affine1', 'ReLU1', 'Affine2', 'ReLU2', 'Affine3'])
    expect(r.layers.map((l) => [l.inShape, l.outShape])).toEqual([
      [[9, 12], [9, 7]], [[9, 7], [9, 7]], [[9, 7], [9, 6]], [[9, 6], [9, 6]], [[9, 6], [9, 5]],
    ])
    expect(r.layers.map((l) => l.weight?.name ?? null)).toEqual(['W1', null, 'W2', null, 'W3'])
    expect(r.softmax.shape).toEqual([9, 5])
  })

  it('shows a deep sigmoid net shrinking its gradients toward the input', () => {
    const net = new MultiLayerNet(config(), new Random(4), 'reference')
    const r = inspectNetwork(net, randomMatrix(new Random(5), 32, 12), labels(new Random(6), 32, 5))
    const sigmoids = r.layers.filter((l) => l.kind === 'Sigmoid')
    expect(sigmoids).toHaveLength(4)
    // from the output down: every sigmoid multiplies by y(1 − y) ≤ 1/4
    for (let i = 0; i + 1 < sigmoids.length; i++) expect(sigmoids[i].doutNorm).toBeLessThan(sigmoids[i + 1].doutNorm)
    for (const s of sigmoids) expect(s.dxNorm).toBeLessThanOrEqual(s.doutNorm / 4)
    const first = r.layers[0], last = r.layers.at(-1)!
    expect(first.dxNorm).toBeLessThan(last.doutNorm / 50)
    for (const s of sigmoids) {
      expect(s.out.min).toBeGreaterThan(0)
      expect(s.out.max).toBeLessThan(1)
    }
  })

  it('passes each layer\'s dx on as the next layer\'s dout, and leaves the net\'s grads as backprop does', () => {
    const net = new MultiLayerNet(config({ activation: 'relu', weightInit: { kind: 'he' } }), new Random(7), 'reference')
    const x = randomMatrix(new Random(8), 16, 12), t = labels(new Random(9), 16, 5)
    const r = inspectNetwork(net, x, t)
    for (let i = 1; i < r.layers.length; i++) expect(r.layers[i].dxNorm).toBe(r.layers[i - 1].doutNorm)
    const twin = new MultiLayerNet(config({ activation: 'relu', weightInit: { kind: 'he' } }), new Random(7), 'reference')
    const grads = twin.gradient(x, t)
    for (const [i, name] of ['W1', 'W2', 'W3', 'W4', 'W5'].entries()) {
      expect(relativeError(net.grads[name].data, grads[name].data)).toBe(0)
      expect(r.layers[2 * i].weight!.gradNorm).toBeCloseTo(Math.hypot(...grads[name].data), 12)
    }
    expect(r.loss).toBe(twin.lastLayer.loss)
  })

  it('gives ReLU the fraction of units that pass, and the output statistics of each layer', () => {
    const net = new MultiLayerNet(config({ activation: 'relu', weightInit: { kind: 'he' } }), new Random(10), 'reference')
    const r = inspectNetwork(net, randomMatrix(new Random(11), 20, 12), labels(new Random(12), 20, 5))
    const relus = r.layers.filter((l) => l.kind === 'ReLU')
    expect(relus).toHaveLength(4)
    for (const l of relus) {
      expect(l.passFraction).toBeGreaterThan(0)
      expect(l.passFraction).toBeLessThan(1)
      expect(l.out.min).toBe(0)
      expect(l.out.mean).toBeGreaterThan(0)
    }
    // a ReLU passes exactly the units where its input (the Affine below) is positive
    const w = new MultiLayerNet(config({ hiddenSizes: [3], activation: 'relu', weightInit: { kind: 'std', std: 1 } }), new Random(13), 'reference')
    const x = randomMatrix(new Random(14), 4, 12)
    const z = w.layers[0].forward(x)
    const positive = z.data.filter((v) => v > 0).length / z.data.length
    expect(inspectNetwork(w, x, labels(new Random(15), 4, 5)).layers[1].passFraction).toBe(positive)
    for (const l of r.layers) expect(l.passFraction === null).toBe(l.kind !== 'ReLU')
    expect(r.layers[0].out.std).toBeGreaterThan(0)
    expect(r.layers[0].out.min).toBeLessThan(r.layers[0].out.mean)
    expect(r.layers[0].out.max).toBeGreaterThan(r.layers[0].out.mean)
  })

  it('shows Softmax-with-Loss backward as (y − t)/N: its first row and the whole batch', () => {
    const net = new MultiLayerNet(config({ hiddenSizes: [6] }), new Random(16), 'reference')
    const N = 8
    const t = labels(new Random(17), N, 5)
    const r = inspectNetwork(net, randomMatrix(new Random(18), N, 12), t)
    const s = r.softmax
    expect(s.t).toEqual([0, 1, 2, 3, 4].map((k) => (k === t[0] ? 1 : 0)))
    expect(s.y.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12)
    s.dx.forEach((v, k) => expect(v).toBeCloseTo((s.y[k] - s.t[k]) / N, 15))
    expect(s.maxDeviation).toBeLessThan(1e-15)
    expect(s.loss).toBe(r.loss)
    expect(r.layers.at(-1)!.doutNorm).toBeGreaterThan(0)
  })

  it('names any other kind of layer by its class, here Batch Normalization, and runs it as training does', () => {
    const net = new MultiLayerNet(config({ hiddenSizes: [6], activation: 'relu', weightInit: { kind: 'he' }, batchnorm: true }), new Random(22), 'reference')
    const bn = net.layers[1].constructor.name
    expect(bn).toMatch(/^Batch/)
    const x = randomMatrix(new Random(23), 10, 12)
    const r = inspectNetwork(net, x, labels(new Random(24), 10, 5))
    expect(r.layers.map((l) => l.name)).toEqual(['Affine1', `${bn}1`, 'ReLU1', 'Affine2'])
    // normalised by the batch: each unit has mean 0 and std 1 before its (initial) γ = 1, β = 0
    expect(Math.abs(r.layers[1].out.mean)).toBeLessThan(1e-9)
    expect(r.layers[1].out.std).toBeCloseTo(1, 3)
    expect(r.layers.every((l) => Number.isFinite(l.doutNorm) && l.doutNorm > 0)).toBe(true)
  })

  it('reads no dx for the fast engine\'s first Affine, which skips it, and the same everything else', () => {
    const cfg = config({ hiddenSizes: [6], activation: 'relu', weightInit: { kind: 'he' } })
    const x = randomMatrix(new Random(19), 5, 12), t = labels(new Random(20), 5, 5)
    const fast = inspectNetwork(new MultiLayerNet(cfg, new Random(21)), x, t)
    const dense = inspectNetwork(new MultiLayerNet(cfg, new Random(21), 'reference'), x, t)
    expect(fast.layers[0].dxNorm).toBeNaN()
    expect(dense.layers[0].dxNorm).toBeGreaterThan(0)
    expect(fast.layers.slice(1)).toEqual(dense.layers.slice(1))
  })
})
