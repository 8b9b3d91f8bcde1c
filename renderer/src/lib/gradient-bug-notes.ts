import type { GradientBug } from '../../../shared/training-events'
import { t } from '../i18n'

export interface BugNote {
  /** The book's line and the broken one, as code (the same in every language). */
  correct: string
  broken: string
}

/** The bug's name in the current language. */
export function bugLabel(bug: GradientBug): string {
  return t(`bugs.${bug}.label`)
}

/** What the check shows when the bug is in, in the current language. */
export function bugSymptom(bug: GradientBug): string {
  return t(`bugs.${bug}.symptom`)
}

/** What each bug of "Break it" changes; bugLabel and bugSymptom say how its failure looks. */
export const BUG_NOTES: Record<GradientBug, BugNote> = {
  'softmax-no-1-over-n': {
    correct: 'dx = (y − t) / batch_size',
    broken: 'dx = y − t',
  },
  'relu-no-mask': {
    correct: 'dout[self.mask] = 0; dx = dout',
    broken: 'dx = dout',
  },
  'db-not-summed': {
    correct: 'db = np.sum(dout, axis=0)',
    broken: 'db = dout[0]',
  },
  'dx-no-transpose': {
    correct: 'dx = np.dot(dout, self.W.T)',
    broken: 'dx = dout · W read as (out, in)',
  },
}
