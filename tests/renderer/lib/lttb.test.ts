import { describe, expect, it } from 'vitest'
import { lttbIndices } from '../../../renderer/src/lib/lttb'

describe('lttbIndices', () => {
  it('keeps every index when the range has no more points than asked', () => {
    expect(Array.from(lttbIndices([5, 6, 7, 8, 9], 1, 4, 10))).toEqual([1, 2, 3])
  })

  it('keeps the ends and, per bucket, the point of the largest triangle: the spikes survive', () => {
    const y = new Float64Array(1000).fill(1)
    y[123] = 9
    y[700] = -4
    const idx = Array.from(lttbIndices(y, 0, 1000, 50))
    expect(idx).toHaveLength(50)
    expect(idx[0]).toBe(0)
    expect(idx[49]).toBe(999)
    expect(idx).toContain(123)
    expect(idx).toContain(700)
    for (let k = 1; k < idx.length; k++) expect(idx[k]).toBeGreaterThan(idx[k - 1])
  })

  it('works on a window of the series, picks a NaN only where a bucket holds nothing else, so gaps show', () => {
    const y = Float64Array.from({ length: 500 }, (_, i) => Math.sin(i / 10))
    y.fill(Number.NaN, 200, 260)
    y[300] = 5
    const idx = Array.from(lttbIndices(y, 100, 400, 30))
    expect(idx[0]).toBe(100)
    expect(idx[29]).toBe(399)
    expect(idx).toContain(300)
    expect(idx.every((i) => i >= 100 && i < 400)).toBe(true)
    const gaps = idx.filter((i) => Number.isNaN(y[i]))
    expect(gaps.length).toBeGreaterThan(0)
    expect(gaps.every((i) => i >= 200 && i < 260)).toBe(true)
  })
})
