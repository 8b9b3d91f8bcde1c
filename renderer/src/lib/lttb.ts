/**
 * Largest-Triangle-Three-Buckets (Steinarsson, 2013): the indices of at most `threshold` points
 * of y[lo…hi) (x = the index) that keep the series' visible shape. The first and last points stay;
 * each bucket between contributes the point forming the largest triangle with the point kept
 * before it and the mean of the next bucket. NaN points (gaps) are never chosen over a number; a
 * bucket with nothing else keeps one, so the gap still shows.
 * Written here rather than taken from a package: it runs on a Float64Array view and returns
 * indices, so the chart can take the same rows of several columns without building point objects.
 */
export function lttbIndices(y: ArrayLike<number>, lo: number, hi: number, threshold: number): Int32Array {
  const n = hi - lo
  if (n <= threshold || threshold < 3) return Int32Array.from({ length: Math.max(n, 0) }, (_, i) => lo + i)
  const out = new Int32Array(threshold)
  const every = (n - 2) / (threshold - 2)
  let a = lo
  out[0] = lo
  for (let b = 0; b < threshold - 2; b++) {
    // the mean of the next bucket (the last point for the last bucket)
    const nextLo = lo + 1 + Math.floor((b + 1) * every), nextHi = Math.min(lo + 1 + Math.floor((b + 2) * every), hi)
    let mx = 0, my = 0, m = 0
    for (let i = nextLo; i < nextHi; i++) {
      if (Number.isNaN(y[i])) continue
      mx += i; my += y[i]; m++
    }
    if (m === 0) { mx = hi - 1; my = y[hi - 1]; m = 1 }
    mx /= m; my /= m
    const from = lo + 1 + Math.floor(b * every), to = Math.min(lo + 1 + Math.floor((b + 1) * every), hi - 1)
    const ax = a, ay = y[a]
    let best = from, bestArea = -1
    for (let i = from; i < to; i++) {
      const area = Math.abs((ax - mx) * (y[i] - ay) - (ax - i) * (my - ay))
      if (area > bestArea) { bestArea = area; best = i }
    }
    out[b + 1] = best
    // a bucket of NaN only keeps one, so the line shows the gap; the next triangle starts before it
    if (!Number.isNaN(y[best])) a = best
  }
  out[threshold - 1] = hi - 1
  return out
}
