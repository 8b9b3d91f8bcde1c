import { describe, expect, it } from 'vitest'
import { l2Norm, tensorStats } from '../../../shared/engine/tensor-stats'

describe('tensorStats', () => {
  it('gives the mean, population std, min and max', () => {
    const s = tensorStats([2, 4, 4, 4, 5, 5, 7, 9])
    expect(s).toEqual({ mean: 5, std: 2, min: 2, max: 9 })
  })

  it('keeps the std exact around a large mean', () => {
    const s = tensorStats([1e9 + 1, 1e9 + 3])
    expect(s.mean).toBe(1e9 + 2)
    expect(s.std).toBe(1)
  })

  it('gives the mean of elements whose sum would overflow', () => {
    const s = tensorStats([1e308, 1e308, 1e308, 1e308])
    expect(s.mean).toBe(1e308)
    expect(s.std).toBe(0)
  })

  it('is NaN for no elements', () => {
    expect(Object.values(tensorStats([])).every(Number.isNaN)).toBe(true)
  })
})

describe('l2Norm', () => {
  it('is √Σx², without overflow or underflow', () => {
    expect(l2Norm([3, -4])).toBe(5)
    expect(l2Norm([0, 0])).toBe(0)
    expect(l2Norm([3e200, 4e200])).toBeCloseTo(5e200, -188)
    expect(l2Norm([3e-200, 4e-200]) / 5e-200).toBeCloseTo(1, 12)
  })
})
