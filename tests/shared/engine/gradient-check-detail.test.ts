import { describe, expect, it } from 'vitest'
import { gradientCheck } from '../../../shared/engine/gradient-check'
import { MultiLayerNet } from '../../../shared/engine/multi-layer-net'
import type { NetworkConfig } from '../../../shared/engine/network-config'
import { Random } from '../../../shared/engine/random'
import { randomMatrix } from './numeric'

const config = (over: Partial<NetworkConfig> = {}): NetworkConfig => ({
  inputSize: 8, hiddenSizes: [6], outputSize: 4, activation: 'relu', weightInit: { kind: 'std', std: 0.5 }, ...over,
})

describe('gradientCheck per-element detail', () => {
  it('keeps |Δ| per element, whose mean and max are the row\'s, and lists the worst elements largest first', () => {
    const net = new MultiLayerNet(config(), new Random(61))
    const x = randomMatrix(new Random(62), 3, 8), t = Int32Array.from([0, 1, 2])
    const original = net.gradient.bind(net)
    const rows = gradientCheck(net, x, t, {
      keepElements: 1000, worst: 5,
      gradient: () => {
        const g = original(x, t)
        g.W1.data[13] += 1e-3
        g.W1.data[40] -= 2e-3
        return g
      },
    })
    for (const r of rows) {
      const d = r.absDiff!
      expect(d.length, r.name).toBe(r.shape.reduce((a, b) => a * b, 1))
      expect(Math.max(...d), r.name).toBe(r.maxAbs)
      expect(d.reduce((a, b) => a + b, 0) / d.length, r.name).toBeCloseTo(r.meanAbs, 15)
      expect(r.worst!.length).toBe(Math.min(5, d.length))
      const sorted = [...d].sort((a, b) => b - a).slice(0, 5)
      expect(r.worst!.map((e) => e.absDiff), r.name).toEqual(sorted)
      for (const e of r.worst!) {
        expect(d[e.index]).toBe(e.absDiff)
        expect(Math.abs(e.analytic - e.numeric)).toBe(e.absDiff)
      }
    }
    const w1 = rows.find((r) => r.name === 'W1')!
    expect(w1.worst!.slice(0, 2).map((e) => e.index)).toEqual([40, 13])
    expect(w1.worst![0].absDiff).toBeCloseTo(2e-3, 8)
  })

  it('marks kinks NaN in |Δ| and lists them with both gradients', () => {
    const net = new MultiLayerNet(config(), new Random(35))
    const x = randomMatrix(new Random(36), 2, 8)
    // one hidden pre-activation 1e-6 above 0, so W1[0][2] ± 1e-4·x[0][0] crosses it
    x.data[0] = 1
    net.predict(x)
    net.params.b1.data[2] -= net.layers[0].forward(x).data[2] - 1e-6
    const w1 = gradientCheck(net, x, Int32Array.from([0, 1]), { keepElements: 1000, worst: 3 }).find((r) => r.name === 'W1')!
    expect(w1.kinks).toBeGreaterThanOrEqual(1)
    const nan = [...w1.absDiff!.keys()].filter((e) => Number.isNaN(w1.absDiff![e]))
    expect(nan.length).toBe(w1.kinks)
    expect(w1.kinkElements!.map((e) => e.index)).toEqual(nan.slice(0, 3))
    expect(nan).toContain(2)
    expect(w1.worst!.every((e) => !nan.includes(e.index))).toBe(true)
  })

  it('keeps |Δ| for the parameters that fit in keepElements, in order, and none by default', () => {
    const net = new MultiLayerNet(config(), new Random(63))
    const x = randomMatrix(new Random(64), 2, 8), t = Int32Array.from([0, 3])
    // W1 has 48 elements, b1 6, W2 24, b2 4
    const kept = gradientCheck(net, x, t, { keepElements: 60 }).map((r) => [r.name, r.absDiff?.length ?? null])
    expect(kept).toEqual([['W1', 48], ['b1', 6], ['W2', null], ['b2', 4]])
    for (const r of gradientCheck(net, x, t)) {
      expect(r).not.toHaveProperty('absDiff')
      expect(r).not.toHaveProperty('worst')
    }
  })
})
