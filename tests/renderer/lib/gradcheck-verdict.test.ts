import { describe, expect, it } from 'vitest'
import { gradcheckVerdict, verdictExplanation } from '../../../renderer/src/lib/gradcheck-verdict'
import type { ParamCheck } from '../../../shared/training-events'

const row = (meanAbs: number, maxRel: number, kinks = 0): ParamCheck => ({ name: 'W1', shape: [4, 5], count: 20, kinks, meanAbs, maxAbs: meanAbs * 3, maxRel })

describe('gradcheckVerdict', () => {
  it('passes rounding-level differences', () => {
    expect(gradcheckVerdict(row(3e-13, 7e-7))).toBe('pass')
  })

  it('warns when the mean is small but the relative error is not', () => {
    expect(gradcheckVerdict(row(1e-9, 1e-3))).toBe('warn')
  })

  it('warns between 1e-6 and 1e-4 mean difference', () => {
    expect(gradcheckVerdict(row(1e-6, 1e-6))).toBe('warn')
    expect(gradcheckVerdict(row(9.9e-5, 1e-6))).toBe('warn')
  })

  it('fails from 1e-4 mean difference and on NaN', () => {
    expect(gradcheckVerdict(row(1e-4, 1e-6))).toBe('fail')
    expect(gradcheckVerdict(row(Number.NaN, 0))).toBe('fail')
  })

  it('explains skipped kinks', () => {
    expect(verdictExplanation(row(1e-12, 1e-9, 2))).toMatch(/2 elements skipped: a ±h step crossed a ReLU kink/)
    expect(verdictExplanation(row(1e-2, 1))).toMatch(/backward pass of W1 is likely wrong/)
  })
})
