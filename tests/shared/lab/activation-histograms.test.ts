import { describe, expect, it } from 'vitest'
import type { Activation, WeightInit } from '../../../shared/engine/network-config'
import { activationHistograms, BOOK_INIT_LAB, type LayerActivations } from '../../../shared/lab/activation-histograms'

const run = (weightInit: WeightInit, activation: Activation, seed = BOOK_INIT_LAB.seed) =>
  activationHistograms({ ...BOOK_INIT_LAB, weightInit, activation, seed })
const N = BOOK_INIT_LAB.samples * BOOK_INIT_LAB.units
const share = (l: LayerActivations, bins: number[]) => bins.reduce((s, i) => s + l.counts[i], 0) / N

describe('activationHistograms (the book\'s 6.2.2 experiment)', () => {
  it('counts every activation of every layer once, in 30 bins over [0, 1] or outside them', () => {
    const layers = run({ kind: 'he' }, 'relu')
    expect(layers).toHaveLength(5)
    for (const l of layers) {
      expect(l.counts).toHaveLength(30)
      expect(l.counts.reduce((a, b) => a + b, 0) + l.outside).toBe(N)
    }
  })

  it('with std 1 and sigmoid, pushes most activations to 0 and 1 in every layer', () => {
    for (const l of run({ kind: 'std', std: 1 }, 'sigmoid')) expect(share(l, [0, 29])).toBeGreaterThan(0.5)
  })

  it('with std 0.01 and sigmoid, collapses every layer after the first near 0.5', () => {
    const layers = run({ kind: 'std', std: 0.01 }, 'sigmoid')
    for (const l of layers.slice(1)) {
      expect(Math.abs(l.mean - 0.5)).toBeLessThan(0.01)
      expect(l.std).toBeLessThan(0.02)
      expect(share(l, [13, 14, 15, 16])).toBe(1)
    }
  })

  it('with Xavier and sigmoid, keeps every layer spread over most bins', () => {
    for (const l of run({ kind: 'xavier' }, 'sigmoid')) {
      expect(l.std).toBeGreaterThan(0.1)
      expect(l.counts.filter((c) => c > 0).length).toBeGreaterThanOrEqual(18)
      expect(share(l, [0, 29])).toBeLessThan(0.01)
    }
  })

  it('with ReLU, shrinks the activations layer by layer at std 0.01 and keeps their scale with He', () => {
    const small = run({ kind: 'std', std: 0.01 }, 'relu')
    for (let i = 1; i < small.length; i++) expect(small[i].std).toBeLessThan(small[i - 1].std * 0.2)
    const he = run({ kind: 'he' }, 'relu')
    for (const l of he) {
      expect(l.std).toBeGreaterThan(0.6)
      expect(l.std).toBeLessThan(1.5)
      expect(l.zeros / N).toBeGreaterThan(0.4)
    }
  })

  it('is deterministic for a seed and differs between seeds', () => {
    const a = run({ kind: 'xavier' }, 'relu', 7)
    expect(run({ kind: 'xavier' }, 'relu', 7)).toEqual(a)
    expect(run({ kind: 'xavier' }, 'relu', 8)[0].counts).not.toEqual(a[0].counts)
  })
})
