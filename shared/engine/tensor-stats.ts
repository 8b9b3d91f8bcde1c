/** Summary of a tensor's elements: mean, standard deviation (population), min and max. */
export interface TensorStats {
  mean: number
  std: number
  min: number
  max: number
}

/**
 * Mean, std, min and max of `data`, in two passes: the mean (each element times 1/n, so that a
 * sum of large elements cannot overflow where their mean would not), min and max, then
 * Σ(x − mean)² about the mean already known, which keeps the variance exact for large means (a
 * one-pass Σx² − n·mean² would not) without Welford's division per element.
 */
export function tensorStats(data: ArrayLike<number>): TensorStats {
  const n = data.length
  if (n === 0) return { mean: Number.NaN, std: Number.NaN, min: Number.NaN, max: Number.NaN }
  const inv = 1 / n
  let mean = 0, min = Infinity, max = -Infinity
  for (let i = 0; i < n; i++) {
    const v = data[i]
    mean += v * inv
    if (v < min) min = v
    if (v > max) max = v
  }
  let m2 = 0
  for (let i = 0; i < n; i++) {
    const d = data[i] - mean
    m2 += d * d
  }
  return { mean, std: Math.sqrt(m2 / n), min, max }
}

/**
 * ‖x‖ = √Σ x²: the Frobenius norm of a matrix. Scaled by the largest element, so it cannot
 * overflow (each element times 1/scale: within rounding of dividing by it).
 */
export function l2Norm(data: ArrayLike<number>): number {
  let scale = 0
  for (let i = 0; i < data.length; i++) {
    const a = Math.abs(data[i])
    if (a > scale || a !== a) scale = a
  }
  if (scale === 0 || !Number.isFinite(scale)) return scale
  const inv = 1 / scale
  let s = 0
  for (let i = 0; i < data.length; i++) { const v = data[i] * inv; s += v * v }
  return scale * Math.sqrt(s)
}
