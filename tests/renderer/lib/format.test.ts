import { describe, expect, it } from 'vitest'
import { baseName, formatDuration, formatPercent, formatSci } from '../../../renderer/src/lib/format'
import { networkLabel, parameterCount } from '../../../renderer/src/lib/network-label'
import { topClasses } from '../../../renderer/src/lib/top-classes'
import { digitPixels } from '../../../renderer/src/lib/digit-pixels'
import { BOOK_NETWORK } from '../../../shared/engine/network-config'

describe('formatting', () => {
  it('formats durations as m:ss and h:mm:ss, and a missing ETA as a dash', () => {
    expect(formatDuration(65_000)).toBe('1:05')
    expect(formatDuration(3_725_000)).toBe('1:02:05')
    expect(formatDuration(Number.NaN)).toBe('—')
  })

  it('formats accuracy and tiny differences', () => {
    expect(formatPercent(0.97123)).toBe('97.12 %')
    expect(formatSci(2.66e-13)).toBe('2.66e-13')
    expect(formatSci(0)).toBe('0')
  })

  it('takes the file name of either path style', () => {
    expect(baseName('/a/b/model.json')).toBe('model.json')
    expect(baseName('C:\\m\\x.json')).toBe('x.json')
  })
})

describe('network labels', () => {
  it('describes the book network and counts its 39,760 parameters', () => {
    expect(networkLabel(BOOK_NETWORK)).toBe('784-50-10 ReLU')
    expect(parameterCount(BOOK_NETWORK)).toBe(39_760)
  })
})

describe('topClasses', () => {
  it('returns the most probable classes first', () => {
    expect(topClasses([0.1, 0.6, 0.05, 0.25], 3).map((c) => c.cls)).toEqual([1, 3, 0])
  })
})

describe('digitPixels', () => {
  it('maps intensity 0 to paper and 255 to ink', () => {
    const px = digitPixels(Uint8Array.from([9, 0, 255]), 1, 1, 2, [10, 20, 30], [200, 210, 220])
    expect(Array.from(px)).toEqual([200, 210, 220, 255, 10, 20, 30, 255])
  })
})
