import { describe, expect, it } from 'vitest'
import { KINK_RGB, elementAt, elementPixel, heatColour, heatPosition, heatmapLayout, heatmapPixels } from '../../../renderer/src/lib/diff-heatmap'

describe('heatmapLayout', () => {
  it('draws W1 of 784 × 50 as one 28×28 tile per hidden unit, 1 px apart', () => {
    const l = heatmapLayout([784, 50], [28, 28])
    expect(l.tile).toEqual({ rows: 28, cols: 28, perRow: 10 })
    expect([l.width, l.height]).toEqual([10 * 29 - 1, 5 * 29 - 1])
    // W1[i, j]: pixel i of the image, in the tile of unit j
    expect(elementPixel(l, 0 * 50 + 0)).toEqual([0, 0])
    expect(elementPixel(l, (14 * 28 + 20) * 50 + 7)).toEqual([7 * 29 + 20, 14])
    expect(elementPixel(l, (27 * 28 + 27) * 50 + 49)).toEqual([9 * 29 + 27, 4 * 29 + 27])
  })

  it('maps every element to its own pixel and back, and gaps to -1', () => {
    for (const [shape, image] of [[[784, 50], [28, 28]], [[16, 7], [4, 4]], [[50, 10], undefined], [[10], undefined]] as const) {
      const l = heatmapLayout(shape, image)
      const n = shape.reduce((a: number, b: number) => a * b, 1)
      const seen = new Set<string>(), wrong: number[] = []
      for (let e = 0; e < n; e++) {
        const [x, y] = elementPixel(l, e)
        if (!(x < l.width && y < l.height) || elementAt(l, x + 0.5, y + 0.5) !== e) wrong.push(e)
        seen.add(`${x},${y}`)
      }
      expect(wrong).toEqual([])
      expect(seen.size).toBe(n)
    }
    const tiled = heatmapLayout([16, 7], [4, 4])
    expect(elementAt(tiled, 4, 0)).toBe(-1)
    expect(elementAt(tiled, -1, 0)).toBe(-1)
  })

  it('draws other tensors as plain matrices, a vector as one row', () => {
    expect(heatmapLayout([50, 10], [28, 28])).toMatchObject({ width: 10, height: 50, tile: null })
    expect(heatmapLayout([50])).toMatchObject({ width: 50, height: 1, tile: null })
  })
})

describe('heat colours', () => {
  it('run on a log scale from 1e-14 (dark) to 1 (bright), NaN marking a kink', () => {
    expect(heatPosition(0)).toBe(0)
    expect(heatPosition(1e-20)).toBe(0)
    expect(heatPosition(1e-7)).toBeCloseTo(0.5, 12)
    expect(heatPosition(5)).toBe(1)
    const lum = (c: readonly number[]) => 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    expect(lum(heatColour(1e-2))).toBeGreaterThan(lum(heatColour(1e-6)))
    expect(lum(heatColour(1e-6))).toBeGreaterThan(lum(heatColour(1e-12)))
    expect(heatColour(Number.NaN)).toEqual(KINK_RGB)
  })

  it('fill each element\'s pixel and leave the gaps transparent', () => {
    const l = heatmapLayout([4, 2], [2, 2])
    const d = Float64Array.from([1, 1e-12, Number.NaN, 0, 0, 0, 0, 0])
    const px = heatmapPixels(d, l)
    const at = (x: number, y: number) => Array.from(px.subarray(4 * (y * l.width + x), 4 * (y * l.width + x) + 4))
    expect(at(...elementPixel(l, 2))).toEqual([...KINK_RGB, 255])
    expect(at(...elementPixel(l, 0))).toEqual([...heatColour(1).map(Math.round), 255])
    expect(at(2, 0)[3]).toBe(0)
  })
})
