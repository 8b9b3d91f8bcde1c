import { describe, expect, it } from 'vitest'
import { fromArray } from '../../../shared/engine/matrix'
import { numericalGradient } from '../../../shared/engine/numerical-gradient'

describe('numericalGradient', () => {
  it('gives the book\'s gradient of x0² + x1² at (3, 4), (0, 2) and (3, 0), and restores x', () => {
    const f = (x: { data: Float64Array }) => x.data[0] ** 2 + x.data[1] ** 2
    for (const [at, want] of [[[3, 4], [6, 8]], [[0, 2], [0, 4]], [[3, 0], [6, 0]]]) {
      const x = fromArray(1, 2, at)
      const g = numericalGradient(f, x)
      expect(g.data[0]).toBeCloseTo(want[0], 8)
      expect(g.data[1]).toBeCloseTo(want[1], 8)
      expect(Array.from(x.data)).toEqual(at)
    }
  })
})
