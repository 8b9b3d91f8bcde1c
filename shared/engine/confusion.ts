import type { DataSplit } from '../data/dataset'
import { fillSparseBatch } from '../data/fill-batch'
import { argmaxRow } from './kernels'
import type { MultiLayerNet } from './multi-layer-net'
import { SparseRows } from './sparse-rows'

/** Images per forward pass: bounded buffers whatever the split's size, as in evaluation. */
const CHUNK = 1000

/** A model's predictions on a whole split, counted by (label, predicted class). */
export interface Confusion {
  /** K: the network's outputs, so every label and prediction has a row and a column. */
  classes: number
  total: number
  /** Σ of the diagonal: images predicted as labelled. correct / total is the accuracy. */
  correct: number
  /** counts[t·K + p]: images labelled t and predicted p. */
  counts: Int32Array
  /** Per image, in split order: its label, the predicted class, and the softmax probability of that class. */
  labels: Uint8Array
  predicted: Uint8Array
  confidence: Float32Array
}

/**
 * Classifies every image of `split` as evaluation does (argmax of the logits, so the diagonal
 * counts exactly the images an accuracy pass counts as right); confidence is softmax's maximum,
 * 1 / Σ_j exp(z_j − z_max). Null when shouldStop says so between chunks. Needs the fast engine,
 * which takes images by their nonzeros.
 */
export function confusion(net: MultiLayerNet, split: DataSplit, shouldStop?: () => boolean): Confusion | null {
  const K = net.config.outputSize, D = net.config.inputSize, n = split.count
  const counts = new Int32Array(K * K)
  const labels = new Uint8Array(n), predicted = new Uint8Array(n), confidence = new Float32Array(n)
  const xs = new SparseRows(), t = new Int32Array(CHUNK)
  let correct = 0
  for (let from = 0; from < n; from += CHUNK) {
    if (shouldStop?.()) return null
    const rows = Math.min(CHUNK, n - from)
    fillSparseBatch(split, D, null, from, rows, xs, t)
    const y = net.predict(xs)
    for (let r = 0; r < rows; r++) {
      const p = argmaxRow(y, r), top = y.data[r * K + p]
      let sum = 0
      for (let j = 0; j < K; j++) sum += Math.exp(y.data[r * K + j] - top)
      const i = from + r
      labels[i] = t[r]
      predicted[i] = p
      confidence[i] = 1 / sum
      counts[t[r] * K + p]++
      if (p === t[r]) correct++
    }
  }
  return { classes: K, total: n, correct, counts, labels, predicted, confidence }
}
