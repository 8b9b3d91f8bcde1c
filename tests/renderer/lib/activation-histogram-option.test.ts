import { describe, expect, it } from 'vitest'
import type { LayerActivations } from '../../../shared/lab/activation-histograms'
import { sharedMax, shownCounts } from '../../../renderer/src/lib/activation-histogram-option'

const layer = (counts: number[], zeros: number): LayerActivations => ({ counts, zeros, outside: 0, mean: 0, std: 0 })

describe('activation histogram bars', () => {
  it('leaves ReLU\'s exact zeros out of the first bar and keeps sigmoid\'s bars as counted', () => {
    const l = layer([500, 30, 20], 480)
    expect(shownCounts(l, 'relu')).toEqual([20, 30, 20])
    expect(shownCounts(l, 'sigmoid')).toEqual([500, 30, 20])
  })

  it('shares one rounded-up y top across the layers', () => {
    expect(sharedMax([layer([10, 4120], 0), layer([3000, 2], 0)], 'sigmoid')).toBe(5000)
    expect(sharedMax([layer([51000, 900], 50000), layer([50000, 1200], 49990)], 'relu')).toBe(1500)
    expect(sharedMax([layer([100_000, 0], 0)], 'sigmoid')).toBe(100_000)
  })
})
