import type { SweepTrial } from './sweep-spec'

/**
 * Best first: highest test accuracy, then lowest last loss. Trials without a number sort
 * after those with one (NaN: not measured, or diverged); ties keep trial order.
 */
export function rankTrials(trials: readonly SweepTrial[]): SweepTrial[] {
  const key = (x: number, sign: 1 | -1) => (Number.isFinite(x) ? sign * x : Number.POSITIVE_INFINITY)
  return [...trials].sort((a, b) =>
    key(a.testAcc, -1) - key(b.testAcc, -1) || key(a.loss, 1) - key(b.loss, 1) || a.index - b.index)
}
