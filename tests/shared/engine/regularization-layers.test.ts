import { describe, expect, it } from 'vitest'
import { BatchNormalization } from '../../../shared/engine/batch-normalization'
import { Dropout } from '../../../shared/engine/dropout'
import { clone, fromArray } from '../../../shared/engine/matrix'
import { numericalGradient } from '../../../shared/engine/numerical-gradient'
import { Random } from '../../../shared/engine/random'
import { randomMatrix, relativeError, weightedSum } from './numeric'

describe('BatchNormalization', () => {
  it('backward matches the numerical gradient for x, gamma and beta (training mode)', () => {
    const rng = new Random(21)
    const x = randomMatrix(rng, 6, 5, 2, 0.5)
    const G = randomMatrix(rng, 6, 5)
    const bn = new BatchNormalization(randomMatrix(rng, 1, 5, 0.5, 1), randomMatrix(rng, 1, 5))
    bn.forward(x, true)
    const dx = bn.backward(G).data.slice()
    const f = () => weightedSum(bn.forward(x, true), G)
    expect(relativeError(dx, numericalGradient(f, x, 1e-5).data)).toBeLessThan(1e-6)
    expect(relativeError(bn.dgamma.data, numericalGradient(f, bn.gamma, 1e-5).data)).toBeLessThan(1e-6)
    expect(relativeError(bn.dbeta.data, numericalGradient(f, bn.beta, 1e-5).data)).toBeLessThan(1e-6)
  })

  it('normalises each column over the batch in training, and by the running statistics in evaluation', () => {
    const bn = new BatchNormalization(fromArray(1, 2, [1, 1]), fromArray(1, 2, [0, 0]))
    const x = fromArray(2, 2, [1, 10, 3, 30])
    const y = bn.forward(x, true)
    // column 0: μ = 2, σ² = 1 → ±1/√(1 + 1e-6)
    expect(y.data[0]).toBeCloseTo(-1 / Math.sqrt(1 + 1e-6), 15)
    expect(y.data[2]).toBeCloseTo(1 / Math.sqrt(1 + 1e-6), 15)
    // running ← 0.9·0 + 0.1·batch
    expect(bn.runningMean.data[0]).toBeCloseTo(0.2, 15)
    expect(bn.runningMean.data[1]).toBeCloseTo(2, 14)
    expect(bn.runningVar.data[0]).toBeCloseTo(0.1, 15)
    const before = clone(bn.runningMean)
    // the running mean itself normalises to 0
    const e = bn.forward(fromArray(1, 2, [0.2, 2]), false)
    expect(Math.abs(e.data[0]) + Math.abs(e.data[1])).toBeLessThan(1e-15)
    expect(Array.from(bn.runningMean.data)).toEqual(Array.from(before.data))
  })
})

describe('Dropout', () => {
  it('backward matches the numerical gradient with its mask fixed', () => {
    const rng = new Random(22)
    const x = randomMatrix(rng, 4, 9)
    const G = randomMatrix(rng, 4, 9)
    const d = new Dropout(0.4, new Random(3))
    d.forward(x, true)
    d.maskFixed = true
    const dx = d.backward(G).data.slice()
    const num = numericalGradient(() => weightedSum(d.forward(x, true), G), x, 1e-5).data
    expect(relativeError(dx, num)).toBeLessThan(1e-6)
  })

  it('drops about `ratio` of the units in training, scales the kept ones, and passes everything at evaluation', () => {
    const d = new Dropout(0.3, new Random(9))
    const x = fromArray(100, 100, new Array(10000).fill(2))
    const y = d.forward(x, true)
    const kept = d.mask.reduce((a, b) => a + b, 0)
    expect(kept / 10000).toBeGreaterThan(0.67)
    expect(kept / 10000).toBeLessThan(0.73)
    expect(new Set(y.data)).toEqual(new Set([0, 2 / 0.7]))
    const firstMask = d.mask.slice()
    d.forward(x, true)
    expect(Buffer.from(d.mask).equals(Buffer.from(firstMask))).toBe(false)
    expect(Array.from(d.forward(fromArray(1, 3, [1, -2, 3]), false).data)).toEqual([1, -2, 3])
  })
})
