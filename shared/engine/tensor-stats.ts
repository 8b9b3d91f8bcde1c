/** Summary of a tensor's elements: mean, standard deviation (population), min and max. */
export interface TensorStats {
  mean: number
  std: number
  min: number
  max: number
}

/** Mean, std, min and max of `data`, in one pass (Welford's update keeps the variance exact for large means). */
export function tensorStats(data: ArrayLike<number>): TensorStats {
  const n = data.length
  if (n === 0) return { mean: Number.NaN, std: Number.NaN, min: Number.NaN, max: Number.NaN }
  let mean = 0, m2 = 0, min = Infinity, max = -Infinity
  for (let i = 0; i < n; i++) {
    const v = data[i]
    const d = v - mean
    mean += d / (i + 1)
    m2 += d * (v - mean)
    if (v < min) min = v
    if (v > max) max = v
  }
  return { mean, std: Math.sqrt(m2 / n), min, max }
}

/** ‖x‖ = √Σ x²: the Frobenius norm of a matrix. Scaled by the largest element, so it cannot overflow. */
export function l2Norm(data: ArrayLike<number>): number {
  let scale = 0
  for (let i = 0; i < data.length; i++) scale = Math.max(scale, Math.abs(data[i]))
  if (scale === 0 || !Number.isFinite(scale)) return scale
  let s = 0
  for (let i = 0; i < data.length; i++) { const v = data[i] / scale; s += v * v }
  return scale * Math.sqrt(s)
}
