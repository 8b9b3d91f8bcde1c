import type { GradientBug } from '../../../shared/training-events'

export interface BugNote {
  label: string
  /** The book's line and the broken one. */
  correct: string
  broken: string
  /** What the check shows. */
  symptom: string
}

/** What each bug of "Break it" changes and how its failure looks. */
export const BUG_NOTES: Record<GradientBug, BugNote> = {
  'softmax-no-1-over-n': {
    label: 'Softmax-with-Loss without 1/N',
    correct: 'dx = (y − t) / batch_size',
    broken: 'dx = y − t',
    symptom: 'Every gradient is N times too large, so every tensor fails with the same relative error (N − 1)/N: 0.67 for 3 images. With 1 image the bug is invisible.',
  },
  'relu-no-mask': {
    label: "ReLU's mask not applied",
    correct: 'dout[self.mask] = 0; dx = dout',
    broken: 'dx = dout',
    symptom: 'Gradient leaks through units that were off. The layers below a ReLU fail (W1, b1); the last Affine, above every ReLU, still passes. A sigmoid network has no ReLU and passes.',
  },
  'db-not-summed': {
    label: 'db not summed over the batch',
    correct: 'db = np.sum(dout, axis=0)',
    broken: 'db = dout[0]',
    symptom: 'Only the biases fail: db holds the first image\'s row. Every W passes. With 1 image the bug is invisible.',
  },
  'dx-no-transpose': {
    label: 'W not transposed in dx',
    correct: 'dx = np.dot(dout, self.W.T)',
    broken: 'dx = dout · W read as (out, in)',
    symptom: 'The shapes fit, the numbers do not: the last Affine passes, and every layer below it gets a wrong dout and fails.',
  },
}
