import { describe, expect, it } from 'vitest'
import type { Engine } from '../../../shared/engine/engine'
import { gradientCheck } from '../../../shared/engine/gradient-check'
import { MultiLayerNet, type Regularization } from '../../../shared/engine/multi-layer-net'
import type { NetworkConfig } from '../../../shared/engine/network-config'
import { Random } from '../../../shared/engine/random'
import { randomMatrix, relativeError } from './numeric'

const config = (over: Partial<NetworkConfig> = {}): NetworkConfig => ({
  inputSize: 8, hiddenSizes: [6, 5], outputSize: 4, activation: 'sigmoid', weightInit: { kind: 'std', std: 0.5 }, ...over,
})

const CASES: [string, Partial<NetworkConfig>, Regularization][] = [
  ['weight decay', {}, { weightDecay: 0.3 }],
  ['dropout', {}, { dropout: 0.4 }],
  ['batch normalization', { batchnorm: true }, {}],
  ['all three', { batchnorm: true }, { weightDecay: 0.1, dropout: 0.25 }],
]

describe('MultiLayerNet with chapter 6\'s regularisation', () => {
  for (const [what, net, reg] of CASES) {
    for (const engine of ['fast', 'reference'] as Engine[]) {
      it(`${what} (${engine}): backprop agrees with the numerical gradient of the training loss`, () => {
        const n = new MultiLayerNet(config(net), new Random(41), engine, reg)
        const x = randomMatrix(new Random(42), 5, 8)
        const t = Int32Array.from([1, 3, 0, 2, 1])
        const beforeBatchNorm = (key: string) => net.batchnorm === true && /^b[12]$/.test(key)
        const grads = n.gradient(x, t)
        const analytic = Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, g.data.slice()]))
        // the book's numerical_gradient keeps the masks of that backprop pass
        const num = n.numericalGradient(x, t, 1e-5)
        expect(Object.keys(num)).toEqual(Object.keys(analytic))
        for (const key in num) {
          // BatchNorm subtracts the batch mean, so a hidden bias before it has gradient 0, and its
          // numerical gradient is rounding noise: compare those absolutely
          if (beforeBatchNorm(key)) {
            for (let i = 0; i < num[key].data.length; i++) expect(Math.abs(analytic[key][i] - num[key].data[i]), key).toBeLessThan(1e-9)
          } else expect(relativeError(analytic[key], num[key].data), key).toBeLessThan(1e-6)
        }
        // and the app's gradient check, which fixes Dropout's masks itself
        const results = gradientCheck(n, x, t)
        expect(results.map((r) => r.name).sort()).toEqual(Object.keys(grads).sort())
        for (const r of results) {
          expect(r.kinks, r.name).toBe(0)
          if (beforeBatchNorm(r.name)) expect(r.maxAbs, r.name).toBeLessThan(1e-9)
          else expect(r.maxRel, r.name).toBeLessThan(1e-6)
        }
      })
    }
  }

  it('adds 0.5·λ·ΣW² to the loss and λ·W to dW', () => {
    const plain = new MultiLayerNet(config(), new Random(43))
    const decayed = new MultiLayerNet(config(), new Random(43), 'fast', { weightDecay: 0.2 })
    const x = randomMatrix(new Random(44), 3, 8)
    const t = Int32Array.from([0, 1, 2])
    const g0 = plain.gradient(x, t).W2.data.slice()
    const g1 = decayed.gradient(x, t).W2.data.slice()
    let sum = 0
    for (const a of plain.affines) for (const w of a.W.data) sum += w * w
    expect(decayed.lastLoss - plain.lastLoss).toBeCloseTo(0.1 * sum, 12)
    const W2 = plain.params.W2.data
    for (let i = 0; i < g0.length; i++) expect(g1[i] - g0[i]).toBeCloseTo(0.2 * W2[i], 12)
  })

  it('orders parameters W, b, gamma, beta and exports the running statistics with them', () => {
    const net = new MultiLayerNet(config({ hiddenSizes: [3] , batchnorm: true }), new Random(45))
    expect(Object.keys(net.params)).toEqual(['W1', 'b1', 'gamma1', 'beta1', 'W2', 'b2'])
    expect(net.exportParams().map((p) => p.name)).toEqual(['W1', 'b1', 'gamma1', 'beta1', 'runningMean1', 'runningVar1', 'W2', 'b2'])
    net.gradient(randomMatrix(new Random(46), 4, 8), Int32Array.from([0, 1, 2, 3]))
    const copy = new MultiLayerNet(config({ hiddenSizes: [3], batchnorm: true }), new Random(1))
    copy.importParams(net.exportParams())
    const x = randomMatrix(new Random(47), 2, 8)
    expect(Array.from(copy.predict(x).data)).toEqual(Array.from(net.predict(x).data))
  })
})
