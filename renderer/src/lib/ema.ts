import { GrowableSeries } from './growable-series'

/**
 * TensorBoard's debiased exponential moving average.
 *
 * s_t = β·s_{t−1} + (1−β)·x_t with s_0 = 0 is biased toward 0 early on, because the weights
 * (1−β)·β^(t−k) of the first t points sum to 1 − β^t, not 1. Dividing by 1 − β^t removes
 * that bias, so the curve starts at x_1 instead of near 0. A non-finite point (a diverged
 * loss) is shown as it is and left out of the average.
 */
export function debiasedEma(values: ArrayLike<number>, beta: number): Float64Array {
  return new IncrementalEma().update(values, beta)
}

/**
 * debiasedEma kept up to date as values are appended: each update computes only the new points,
 * the same numbers as debiasedEma over all of them. A loss series grows by a few hundred points
 * a message; recomputing all of it each time allocated and walked 10⁵ values 20 times a second.
 * A new β, or values shorter than last time (a new run), start it over.
 */
export class IncrementalEma {
  private readonly out = new GrowableSeries()
  private s = 0
  private t = 0
  private beta = Number.NaN

  update(values: ArrayLike<number>, beta: number): Float64Array {
    if (beta !== this.beta || values.length < this.out.length) {
      this.out.clear()
      this.s = 0
      this.t = 0
      this.beta = beta
    }
    const from = this.out.length
    if (values.length === from) return this.out.view()
    const fresh = new Float64Array(values.length - from)
    const b = Math.min(beta, 0.9999)
    for (let i = from; i < values.length; i++) {
      const x = values[i]
      if (!(beta > 0) || !Number.isFinite(x)) { fresh[i - from] = x; continue }
      this.t++
      this.s = b * this.s + (1 - b) * x
      fresh[i - from] = this.s / (1 - Math.pow(b, this.t))
    }
    this.out.write(from, fresh)
    return this.out.view()
  }
}
