import { describe, expect, it } from 'vitest'
import { GrowableSeries } from '../../../renderer/src/lib/growable-series'

describe('GrowableSeries', () => {
  it('keeps every value across growth', () => {
    const s = new GrowableSeries(16)
    const all: number[] = []
    for (let b = 0; b < 100; b++) {
      const batch = Array.from({ length: 7 }, (_, k) => b * 7 + k)
      s.write(all.length, batch)
      all.push(...batch)
    }
    expect(Array.from(s.view())).toEqual(all)
  })

  it('fills a gap with NaN and rewrites a repeated batch in place', () => {
    const s = new GrowableSeries(16)
    s.write(0, [1, 2])
    s.write(4, [5])
    s.write(0, [1, 2])
    expect(Array.from(s.view())).toEqual([1, 2, Number.NaN, Number.NaN, 5])
  })

  it('returns a new view object each time', () => {
    const s = new GrowableSeries()
    s.write(0, [1])
    expect(s.view()).not.toBe(s.view())
  })
})
