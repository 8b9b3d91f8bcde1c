import { describe, expect, it } from 'vitest'
import { activationGrid } from '../../../renderer/src/lib/activation-grid'

describe('activationGrid', () => {
  it('lays 50 units out on an 8 × 7 grid, the largest at full ink', () => {
    const values = Array.from({ length: 50 }, (_, i) => i / 10)
    const g = activationGrid(values)
    expect([g.rows, g.cols]).toEqual([7, 8])
    expect(g.scale).toBe(4.9)
    expect(g.bytes[49]).toBe(255)
    expect(g.bytes[0]).toBe(0)
    expect(g.bytes[10]).toBe(Math.round((1 / 4.9) * 255))
    expect(Array.from(g.bytes.slice(50))).toEqual([0, 0, 0, 0, 0, 0])
  })

  it('leaves a layer of zeros blank, and draws negatives as 0', () => {
    expect(Array.from(activationGrid([0, 0, 0, 0]).bytes)).toEqual([0, 0, 0, 0])
    expect(Array.from(activationGrid([-1, 2]).bytes)).toEqual([0, 255])
  })
})
