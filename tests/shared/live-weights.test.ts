import { describe, expect, it } from 'vitest'
import { weightColumns } from '../../shared/live-weights'

describe('weightColumns', () => {
  it('turns each column of W (inputs, units) into a row', () => {
    // W = [[1, 2, 3], [4, 5, 6]]: 2 inputs, 3 units
    const W = Float64Array.from([1, 2, 3, 4, 5, 6])
    expect(Array.from(weightColumns(W, 2, 3))).toEqual([1, 4, 2, 5, 3, 6])
  })

  it('sends at most `max` units', () => {
    const W = Float64Array.from([1, 2, 3, 4, 5, 6])
    expect(Array.from(weightColumns(W, 2, 3, 2))).toEqual([1, 4, 2, 5])
  })
})
