import { describe, expect, it } from 'vitest'
import { BatchSampler } from '../../../shared/engine/batch-sampler'
import { Random } from '../../../shared/engine/random'

describe('Random', () => {
  it('repeats its stream for a seed and restores from a saved state', () => {
    const a = new Random(123), b = new Random(123)
    const xs = Array.from({ length: 5 }, () => a.next())
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs)
    const state = a.getState()
    const later = [a.nextUint32(), a.nextUint32()]
    const c = new Random(999)
    c.setState(state)
    expect([c.nextUint32(), c.nextUint32()]).toEqual(later)
    expect(new Random(124).next()).not.toBe(xs[0])
  })

  it('draws uniforms in [0, 1) with mean ½ and normals with mean 0 and variance 1', () => {
    const r = new Random(5)
    let su = 0, sn = 0, sn2 = 0, lo = 1, hi = 0
    const n = 200_000
    for (let i = 0; i < n; i++) {
      const u = r.next()
      lo = Math.min(lo, u)
      hi = Math.max(hi, u)
      su += u
      const z = r.normal()
      sn += z
      sn2 += z * z
    }
    expect(lo).toBeGreaterThanOrEqual(0)
    expect(hi).toBeLessThan(1)
    expect(su / n).toBeCloseTo(0.5, 2)
    expect(sn / n).toBeCloseTo(0, 2)
    expect(sn2 / n).toBeCloseTo(1, 1)
  })

  it('draws every integer below n about equally often', () => {
    const r = new Random(6), counts = new Array(7).fill(0)
    for (let i = 0; i < 70_000; i++) counts[r.int(7)]++
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500)
  })
})

describe('BatchSampler', () => {
  it('draws distinct indices within a batch and covers the whole set over many batches', () => {
    const s = new BatchSampler(50, 10, 'replacement', new Random(7))
    const seen = new Set<number>()
    for (let k = 0; k < 100; k++) {
      const at = s.next()
      const batch = Array.from(s.order.subarray(at, at + 10))
      expect(new Set(batch).size).toBe(10)
      batch.forEach((i) => seen.add(i))
    }
    expect(seen.size).toBe(50)
  })

  it('visits every index exactly once per epoch when shuffling epochs', () => {
    const s = new BatchSampler(30, 10, 'epochs', new Random(8))
    for (let epoch = 0; epoch < 3; epoch++) {
      const seen: number[] = []
      for (let k = 0; k < 3; k++) {
        const at = s.next()
        seen.push(...s.order.subarray(at, at + 10))
      }
      expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i))
    }
  })

  it('refuses a batch larger than the training set', () => {
    expect(() => new BatchSampler(5, 10, 'replacement', new Random(1))).toThrow(/batch size 10 exceeds the 5 training images/)
  })
})
