import { describe, expect, it } from 'vitest'
import { cellImages, cellShade, classMetrics, confidentlyWrong } from '../../../renderer/src/lib/confusion-metrics'

// 3 classes; rows are labels, columns predictions
const counts = Int32Array.from([
  5, 1, 0,
  2, 3, 0,
  0, 0, 0,
])

describe('confusion metrics', () => {
  it('gives per-class one-vs-rest accuracy, precision and recall', () => {
    const [c0, c1, c2] = classMetrics({ classes: 3, counts, total: 11 })
    expect(c0).toEqual({ cls: 0, images: 6, accuracy: 8 / 11, precision: 5 / 7, recall: 5 / 6 })
    expect(c1).toEqual({ cls: 1, images: 5, accuracy: 8 / 11, precision: 3 / 4, recall: 3 / 5 })
    expect(c2.images).toBe(0)
    expect(c2.accuracy).toBe(1)
    expect(c2.precision).toBeNaN()
    expect(c2.recall).toBeNaN()
  })

  const c = {
    labels: Uint8Array.from([0, 1, 1, 0, 1, 2]),
    predicted: Uint8Array.from([0, 0, 0, 1, 1, 0]),
    confidence: Float32Array.from([0.9, 0.6, 0.8, 0.7, 0.99, 0.8]),
  }

  it('lists a cell\'s images most confident first, ties by index', () => {
    expect(cellImages(c, 1, 0, 10)).toEqual([2, 1])
    expect(cellImages(c, 1, 0, 1)).toEqual([2])
    expect(cellImages(c, 2, 2, 10)).toEqual([])
  })

  it('lists the misclassified images most confident first', () => {
    expect(confidentlyWrong(c, 10)).toEqual([2, 5, 3, 1])
    expect(confidentlyWrong(c, 2)).toEqual([2, 5])
  })

  it('shades by the square root of the share of the largest count', () => {
    expect(cellShade(25, 100)).toBe(0.5)
    expect(cellShade(0, 0)).toBe(0)
  })
})
