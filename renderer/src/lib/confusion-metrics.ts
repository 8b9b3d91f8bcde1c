import type { Confusion } from '../../../shared/ipc'

/** One class's row of the per-class table. */
export interface ClassMetrics {
  cls: number
  /** Test images labelled cls. */
  images: number
  /** One-vs-rest accuracy: images on the right side of "is it cls?", (TP + TN) / total. */
  accuracy: number
  /** Of the images predicted cls, the share labelled cls: TP / (TP + FP); NaN when none is predicted cls. */
  precision: number
  /** Of the images labelled cls, the share predicted cls: TP / (TP + FN); NaN when there are none. */
  recall: number
}

export function classMetrics(c: Pick<Confusion, 'classes' | 'counts' | 'total'>): ClassMetrics[] {
  const K = c.classes
  const rowSum = new Array<number>(K).fill(0), colSum = new Array<number>(K).fill(0)
  for (let t = 0; t < K; t++) {
    for (let p = 0; p < K; p++) {
      rowSum[t] += c.counts[t * K + p]
      colSum[p] += c.counts[t * K + p]
    }
  }
  return Array.from({ length: K }, (_, k) => {
    const tp = c.counts[k * K + k], fp = colSum[k] - tp, fn = rowSum[k] - tp
    return {
      cls: k,
      images: rowSum[k],
      accuracy: c.total ? (c.total - fp - fn) / c.total : Number.NaN,
      precision: colSum[k] ? tp / colSum[k] : Number.NaN,
      recall: rowSum[k] ? tp / rowSum[k] : Number.NaN,
    }
  })
}

/** Test indices labelled t and predicted p, most confident first (ties: lower index first), at most `limit`. */
export function cellImages(c: Pick<Confusion, 'labels' | 'predicted' | 'confidence'>, t: number, p: number, limit: number): number[] {
  const hits: number[] = []
  for (let i = 0; i < c.labels.length; i++) if (c.labels[i] === t && c.predicted[i] === p) hits.push(i)
  return byConfidence(hits, c.confidence).slice(0, limit)
}

/** The misclassified test indices, most confident first, at most `limit`. */
export function confidentlyWrong(c: Pick<Confusion, 'labels' | 'predicted' | 'confidence'>, limit: number): number[] {
  const wrong: number[] = []
  for (let i = 0; i < c.labels.length; i++) if (c.labels[i] !== c.predicted[i]) wrong.push(i)
  return byConfidence(wrong, c.confidence).slice(0, limit)
}

function byConfidence(indices: number[], confidence: Float32Array): number[] {
  return indices.sort((a, b) => confidence[b] - confidence[a] || a - b)
}

/** Cell shading 0…1: √(count / largest off-diagonal or diagonal count), so small confusions still show. */
export function cellShade(count: number, max: number): number {
  return max > 0 ? Math.sqrt(count / max) : 0
}
