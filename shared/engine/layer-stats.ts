import { frobeniusNorm } from './frobenius-norm'
import type { Matrix } from './matrix'
import { tensorStats } from './tensor-stats'

/** Bins of each weight histogram, equal-width over [min, max] of W. */
export const HISTOGRAM_BINS = 30

/** What one weight matrix W_k looks like after a training step. */
export interface LayerStats {
  /** W1, W2, … */
  name: string
  mean: number
  std: number
  min: number
  max: number
  /** ‖W‖, the Frobenius norm √ΣW². */
  norm: number
  /** ‖dW‖ of the step's gradient. */
  gradNorm: number
  /**
   * ‖ΔW‖/‖W‖ of the step's update, whatever the optimiser. Over every entry of W, or over an
   * evenly strided subset of UPDATE_SAMPLE entries when W is larger (a ratio of norms, so a
   * strided subset estimates it without copying all of W).
   */
  updateRatio: number
  /**
   * Units of the ReLU after this layer that output 0 for every image of the step's batch: no
   * gradient reaches their weights. Null after the last Affine and for sigmoid.
   */
  deadFraction: number | null
  /** Entries of W per bin, HISTOGRAM_BINS equal bins over [min, max]. */
  histogram: number[]
}

/** Every layer's statistics after the step that completed iteration `iter` (0-based). */
export interface LayerStatsSample {
  iter: number
  layers: LayerStats[]
}

/** At most this many entries of each W are copied before a step to measure its update. */
export const UPDATE_SAMPLE = 1 << 16

/** The stride that picks at most UPDATE_SAMPLE evenly spread entries out of n. */
export function updateStride(n: number): number {
  return Math.max(1, Math.ceil(n / UPDATE_SAMPLE))
}

/** Copies every stride-th entry of W into `into` (sized ⌈n/stride⌉). */
export function sampleEntries(W: Float64Array, stride: number, into: Float64Array): void {
  for (let i = 0, k = 0; i < W.length; i += stride, k++) into[k] = W[i]
}

/**
 * mean, std (population), min, max, ‖W‖ and the histogram of W; ‖dW‖; ‖ΔW‖/‖W‖ from the
 * entries `before` held (every stride-th) before the update.
 */
export function layerStats(name: string, W: Matrix, dW: Matrix, before: Float64Array, stride: number, deadFraction: number | null): LayerStats {
  const w = W.data, n = w.length
  const { mean, std, min, max } = tensorStats(w)
  let dsq = 0, bsq = 0
  for (let i = 0, k = 0; i < n; i += stride, k++) {
    const b = before[k], d = w[i] - b
    dsq += d * d
    bsq += b * b
  }
  return {
    name,
    mean: n ? mean : 0,
    std: n ? std : 0,
    min: n ? min : 0,
    max: n ? max : 0,
    norm: frobeniusNorm(w),
    gradNorm: frobeniusNorm(dW.data),
    updateRatio: bsq > 0 ? Math.sqrt(dsq / bsq) : 0,
    deadFraction,
    histogram: histogram(w, min, max, HISTOGRAM_BINS),
  }
}

/** Counts of `values` in `bins` equal bins over [min, max]; max falls in the last bin. */
export function histogram(values: Float64Array, min: number, max: number, bins: number): number[] {
  const counts = new Float64Array(bins)
  if (!values.length) return Array.from(counts)
  // bins per unit of value; 0 when every value is min. A range too small for it to be finite
  // gives 0·∞ = NaN at min itself, which goes in the first bin with the rest of (min, …).
  const perUnit = max > min ? bins / (max - min) : 0
  for (let i = 0; i < values.length; i++) {
    const b = Math.floor((values[i] - min) * perUnit)
    counts[b >= bins ? bins - 1 : b > 0 ? b : 0]++
  }
  return Array.from(counts)
}

/** Units (columns of the (N, units) mask) that are 0 for every row: ReLU units dead on the whole batch. */
export function deadUnitFraction(mask: Uint8Array, rows: number, units: number): number {
  if (!rows || !units) return 0
  let dead = 0
  for (let j = 0; j < units; j++) {
    let alive = false
    for (let r = 0; r < rows && !alive; r++) alive = mask[r * units + j] !== 0
    if (!alive) dead++
  }
  return dead / units
}
