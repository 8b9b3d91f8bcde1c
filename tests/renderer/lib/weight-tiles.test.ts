import { describe, expect, it } from 'vitest'
import { divergingColour, NEGATIVE_RGB, POSITIVE_RGB, tileGrid, tileScales, weightTilePixels } from '../../../renderer/src/lib/weight-tiles'

const PAPER = [250, 250, 250] as const

describe('weight tiles', () => {
  it('maps −scale to blue, 0 to paper and +scale to red, clamping beyond', () => {
    expect(divergingColour(-2, 2, PAPER)).toEqual([...NEGATIVE_RGB])
    expect(divergingColour(0, 2, PAPER)).toEqual([...PAPER])
    expect(divergingColour(5, 2, PAPER)).toEqual([...POSITIVE_RGB])
    expect(divergingColour(1, 2, PAPER)[0]).toBeCloseTo((PAPER[0] + POSITIVE_RGB[0]) / 2, 10)
    expect(divergingColour(1, 0, PAPER)).toEqual([...PAPER])
  })

  it('lays tiles out in rows with 1 px gaps', () => {
    const g = tileGrid(50, 28, 28)
    expect(g.perRow).toBe(9)
    expect([g.width, g.height]).toEqual([9 * 29 - 1, 6 * 29 - 1])
    expect(tileGrid(1, 2, 3)).toMatchObject({ perRow: 1, width: 3, height: 2 })
  })

  it('scales per unit or over the layer', () => {
    const data = Float32Array.from([1, -3, 0.5, 0.25])
    expect(Array.from(tileScales(data, 2, 2, 'unit'))).toEqual([3, 0.5])
    expect(Array.from(tileScales(data, 2, 2, 'layer'))).toEqual([3, 3])
  })

  it('draws unit j\'s weights as tile j, pixel by pixel, gaps transparent', () => {
    // two 1×2 tiles side by side: unit 0 = [−1, 1], unit 1 = [0, 2]
    const g = tileGrid(2, 1, 2, 2)
    const px = weightTilePixels(Float32Array.from([-1, 1, 0, 2]), g, Float64Array.from([1, 2]), PAPER)
    const at = (x: number) => Array.from(px.subarray(4 * x, 4 * x + 4))
    expect(g.width).toBe(5)
    expect(at(0)).toEqual([...NEGATIVE_RGB, 255])
    expect(at(1)).toEqual([...POSITIVE_RGB, 255])
    expect(at(2)).toEqual([0, 0, 0, 0])
    expect(at(3)).toEqual([...PAPER, 255])
    expect(at(4)).toEqual([...POSITIVE_RGB, 255])
  })
})
