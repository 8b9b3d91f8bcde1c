import { describe, expect, it } from 'vitest'
import { BOOK_TRAINING } from '../../../shared/engine/train-config'
import { ConfigError } from '../../../shared/schemas/config-error'
import { rankTrials } from '../../../shared/sweep/rank-trials'
import type { SweepSpec, SweepTrial } from '../../../shared/sweep/sweep-spec'
import { gridSize, sweepTrials } from '../../../shared/sweep/sweep-trials'

const spec = (over: Partial<SweepSpec>): SweepSpec => ({ mode: 'grid', trials: 64, iters: 500, seed: 1, base: BOOK_TRAINING, space: {}, ...over })

describe('sweepTrials', () => {
  it('enumerates a grid in order, the last list varying fastest, with the trial iterations', () => {
    const trials = sweepTrials(spec({ space: { lr: [0.01, 0.1, 1], optimizer: ['sgd', 'adam'] } }))
    expect(trials.map((c) => [c.lr, c.optimizer?.kind])).toEqual([[0.01, 'sgd'], [0.01, 'adam'], [0.1, 'sgd'], [0.1, 'adam'], [1, 'sgd'], [1, 'adam']])
    expect(trials.every((c) => c.iters === 500 && c.evalEvery === 500 && c.seed === BOOK_TRAINING.seed)).toBe(true)
  })

  it('sets hidden sizes, init, weight decay and dropout, leaving the base alone', () => {
    const [c] = sweepTrials(spec({ space: { hiddenSizes: [[100, 50]], weightInit: ['he'], weightDecay: [0.01], dropout: [0.5], batchSize: [32] } }))
    expect(c.network.hiddenSizes).toEqual([100, 50])
    expect(c.network.weightInit).toEqual({ kind: 'he' })
    expect([c.weightDecay, c.dropout, c.batchSize]).toEqual([0.01, 0.5, 32])
    expect(BOOK_TRAINING.network.hiddenSizes).toEqual([50])
  })

  it('refuses a grid larger than the trial count, naming the size', () => {
    const s = spec({ trials: 4, space: { lr: [0.01, 0.1, 1], optimizer: ['sgd', 'adam'] } })
    expect(gridSize(s.space)).toBe(6)
    expect(() => sweepTrials(s)).toThrow(ConfigError)
    expect(() => sweepTrials(s)).toThrow(/trials: the grid has 6 combinations, more than the 4 trials/)
  })

  it('draws random trials reproducibly, lr log-uniform within the listed range', () => {
    const s = spec({ mode: 'random', trials: 40, seed: 7, space: { lr: [0.001, 1], optimizer: ['sgd', 'adam', 'momentum'] } })
    const a = sweepTrials(s), b = sweepTrials(s)
    expect(a).toEqual(b)
    expect(a).toHaveLength(40)
    expect(a.every((c) => c.lr >= 0.001 && c.lr <= 1)).toBe(true)
    expect(a.filter((c) => c.lr < 0.0316).length).toBeGreaterThan(8)
    expect(new Set(a.map((c) => c.optimizer?.kind))).toEqual(new Set(['sgd', 'adam', 'momentum']))
    expect(sweepTrials({ ...s, seed: 8 })).not.toEqual(a)
  })
})

describe('rankTrials', () => {
  const trial = (index: number, testAcc: number, loss: number): SweepTrial => ({
    index, config: BOOK_TRAINING, state: 'finished', iter: 1, loss, trainAcc: testAcc, testAcc, seconds: 1, curve: [], curveStep: 1,
  })
  it('puts the best test accuracy first, then the lower loss, and unmeasured trials last', () => {
    const ranked = rankTrials([trial(0, 0.9, 0.3), trial(1, Number.NaN, Number.NaN), trial(2, 0.95, 0.5), trial(3, 0.9, 0.2)])
    expect(ranked.map((t) => t.index)).toEqual([2, 3, 0, 1])
  })
})
