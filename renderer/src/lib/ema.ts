/**
 * TensorBoard's debiased exponential moving average.
 *
 * s_t = β·s_{t−1} + (1−β)·x_t with s_0 = 0 is biased toward 0 early on, because the weights
 * (1−β)·β^(t−k) of the first t points sum to 1 − β^t, not 1. Dividing by 1 − β^t removes
 * that bias, so the curve starts at x_1 instead of near 0. A non-finite point (a diverged
 * loss) is shown as it is and left out of the average.
 */
export function debiasedEma(values: ArrayLike<number>, beta: number): Float64Array {
  const out = new Float64Array(values.length)
  if (!(beta > 0)) {
    for (let i = 0; i < values.length; i++) out[i] = values[i]
    return out
  }
  const b = Math.min(beta, 0.9999)
  let s = 0
  let t = 0
  for (let i = 0; i < values.length; i++) {
    const x = values[i]
    if (!Number.isFinite(x)) { out[i] = x; continue }
    t++
    s = b * s + (1 - b) * x
    out[i] = s / (1 - Math.pow(b, t))
  }
  return out
}
