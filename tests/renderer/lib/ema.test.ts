import { describe, expect, it } from 'vitest'
import { debiasedEma, IncrementalEma } from '../../../renderer/src/lib/ema'

describe('debiasedEma', () => {
  it('returns the values unchanged when β is 0', () => {
    expect(Array.from(debiasedEma([3, 1, 2], 0))).toEqual([3, 1, 2])
  })

  it('starts at the first value instead of near zero', () => {
    expect(debiasedEma([2.3, 2.2], 0.99)[0]).toBeCloseTo(2.3, 12)
  })

  it('keeps a constant series constant at every step', () => {
    for (const v of debiasedEma(new Array(50).fill(1.5), 0.9)) expect(v).toBeCloseTo(1.5, 12)
  })

  it('divides the running average by 1 − β^t', () => {
    const beta = 0.6, xs = [4, 2, 7, 1]
    let s = 0
    const expected = xs.map((x, i) => { s = beta * s + (1 - beta) * x; return s / (1 - beta ** (i + 1)) })
    const got = debiasedEma(xs, beta)
    expected.forEach((e, i) => expect(got[i]).toBeCloseTo(e, 12))
    // the weights of x1…x2 at t = 2 are (1−β)β and (1−β), normalised by their sum 1 − β²
    expect(got[1]).toBeCloseTo((0.4 * 0.6 * 4 + 0.4 * 2) / (1 - 0.36), 12)
  })

  it('shows a non-finite loss as it is and leaves it out of the average', () => {
    const got = debiasedEma([1, Number.NaN, 3], 0.5)
    expect(got[1]).toBeNaN()
    expect(got[2]).toBeCloseTo((0.5 * 0.5 * 1 + 0.5 * 3) / (1 - 0.25), 12)
  })
})

describe('IncrementalEma', () => {
  it('gives the numbers debiasedEma gives over the whole series, appended a batch at a time', () => {
    const xs = Array.from({ length: 1000 }, (_, i) => Math.sin(i / 7) + (i % 13 === 0 ? Number.NaN : 0))
    const ema = new IncrementalEma()
    let got = new Float64Array(0)
    for (let n = 0; n < xs.length; n += 37) got = ema.update(xs.slice(0, Math.min(xs.length, n + 37)), 0.9).slice()
    const whole = debiasedEma(xs, 0.9)
    expect(got.length).toBe(xs.length)
    expect(got.every((v, i) => Object.is(v, whole[i]))).toBe(true)
  })

  it('starts over for a new β or a shorter series (a new run)', () => {
    const ema = new IncrementalEma()
    ema.update([1, 2, 3, 4], 0.5)
    expect(Array.from(ema.update([1, 2, 3, 4], 0.9))).toEqual(Array.from(debiasedEma([1, 2, 3, 4], 0.9)))
    expect(Array.from(ema.update([7, 8], 0.9))).toEqual(Array.from(debiasedEma([7, 8], 0.9)))
  })
})
