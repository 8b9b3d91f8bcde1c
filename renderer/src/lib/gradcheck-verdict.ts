import type { ParamCheck } from '../../../shared/training-events'
import { formatSci } from './format'
import { t } from '../i18n'

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

/** The thresholds above in one sentence, in the current language. */
export function gradcheckRule(): string {
  return t('verdictText.rule', {
    passMean: formatSci(GRADCHECK_THRESHOLDS.passMean, 0),
    passRel: formatSci(GRADCHECK_THRESHOLDS.passRel, 0),
    warnMean: formatSci(GRADCHECK_THRESHOLDS.warnMean, 0),
  })
}

export function gradcheckVerdict(p: ParamCheck): Verdict {
  const th = GRADCHECK_THRESHOLDS
  if (!Number.isFinite(p.meanAbs) || !Number.isFinite(p.maxRel)) return 'fail'
  if (p.meanAbs < th.passMean && p.maxRel < th.passRel) return 'pass'
  return p.meanAbs < th.warnMean ? 'warn' : 'fail'
}

/** One line that says what the numbers of this row mean. */
export function verdictExplanation(p: ParamCheck): string {
  const kinks = p.kinks > 0 ? ' ' + t(p.kinks === 1 ? 'verdictText.kinkOne' : 'verdictText.kinks', { n: p.kinks }) : ''
  switch (gradcheckVerdict(p)) {
    case 'pass':
      return t('verdictText.pass') + kinks
    case 'warn':
      return (p.meanAbs < GRADCHECK_THRESHOLDS.passMean
        ? t('verdictText.warnRel', { rel: formatSci(p.maxRel, 1) })
        : t('verdictText.warn')) + kinks
    case 'fail':
      return t('verdictText.fail', { name: p.name }) + kinks
  }
}
