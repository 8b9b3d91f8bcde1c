import type { ParamCheck } from '../../../shared/training-events'
import { formatSci } from './format'

export type Verdict = 'pass' | 'warn' | 'fail'

/**
 * Central differences with h = 1e-4 in float64 agree with a correct backward pass to about
 * 1e-10 absolutely; a wrong one is off by the size of the gradient itself (≳ 1e-4).
 */
export const GRADCHECK_THRESHOLDS = {
  /** pass: mean |Δ| below this… */
  passMean: 1e-6,
  /** …and max relative error below this. */
  passRel: 1e-4,
  /** warn: mean |Δ| below this; fail above. */
  warnMean: 1e-4,
} as const

export const GRADCHECK_RULE =
  `pass: mean |Δ| < ${formatSci(GRADCHECK_THRESHOLDS.passMean, 0)} and max relative error < ${formatSci(GRADCHECK_THRESHOLDS.passRel, 0)}; ` +
  `warn: mean |Δ| < ${formatSci(GRADCHECK_THRESHOLDS.warnMean, 0)}; fail: anything larger.`

export function gradcheckVerdict(p: ParamCheck): Verdict {
  const t = GRADCHECK_THRESHOLDS
  if (!Number.isFinite(p.meanAbs) || !Number.isFinite(p.maxRel)) return 'fail'
  if (p.meanAbs < t.passMean && p.maxRel < t.passRel) return 'pass'
  return p.meanAbs < t.warnMean ? 'warn' : 'fail'
}

/** One line that says what the numbers of this row mean. */
export function verdictExplanation(p: ParamCheck): string {
  const kinks = p.kinks > 0 ? ` ${p.kinks} element${p.kinks === 1 ? '' : 's'} skipped: a ±h step crossed a ReLU kink.` : ''
  switch (gradcheckVerdict(p)) {
    case 'pass':
      return `Backprop matches the numerical gradient to rounding error.${kinks}`
    case 'warn':
      return p.meanAbs < GRADCHECK_THRESHOLDS.passMean
        ? `Mean difference is tiny, but some element differs by ${formatSci(p.maxRel, 1)} relatively — usually a near-zero gradient or a kink.${kinks}`
        : `Differences are small but above rounding error — check again with other samples or seed.${kinks}`
    case 'fail':
      return `Backprop and the numerical gradient disagree: the backward pass of ${p.name} is likely wrong.${kinks}`
  }
}
