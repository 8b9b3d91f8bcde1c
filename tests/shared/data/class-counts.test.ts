import { describe, expect, it } from 'vitest'
import { classCounts, emptyClasses, emptyClassesWarning, formatClassList } from '../../../shared/data/class-counts'

describe('classCounts', () => {
  it('counts the labels of each class', () => {
    expect(classCounts(Uint8Array.from([2, 0, 2, 2, 1, 0]), 3)).toEqual([2, 1, 3])
  })

  it('gives 0 to a class with no labels, and leaves out labels ≥ classes', () => {
    expect(classCounts(Uint8Array.from([0, 4, 4, 9]), 5)).toEqual([1, 0, 0, 0, 2])
  })
})

describe('empty classes', () => {
  it('are the classes counted 0', () => {
    expect(emptyClasses([3, 0, 1, 0, 0])).toEqual([1, 3, 4])
    expect(emptyClasses([1, 2])).toEqual([])
  })

  it('are listed as runs', () => {
    expect(formatClassList([3, 10, 11, 12, 40])).toBe('3, 10–12, 40')
    expect(formatClassList([5, 6])).toBe('5, 6')
    expect(formatClassList([])).toBe('')
  })

  it('are named in the warning: one stray label 42 among the digits', () => {
    const labels = Uint8Array.from([...Array.from({ length: 100 }, (_, i) => i % 10), 42])
    const empty = emptyClasses(classCounts(labels, 43))
    expect(empty).toEqual(Array.from({ length: 32 }, (_, i) => 10 + i))
    expect(emptyClassesWarning(empty, 43)).toBe(
      '32 classes have no training images (10–41): there are 43 classes because the largest training label is 42, ' +
      'and a network cannot learn a class it never sees',
    )
    expect(emptyClassesWarning([1], 3)).toMatch(/^class 1 has no training images: there are 3 classes/)
    expect(emptyClassesWarning([], 10)).toBeNull()
  })
})
