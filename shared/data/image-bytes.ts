import type { DataSplit } from './dataset'

/** Images start … start+count of a split as dense bytes (a fresh copy), from either storage. */
export function imageBytes(split: DataSplit, cols: number, start: number, count: number): Uint8Array {
  if (split.images) return split.images.slice(start * cols, (start + count) * cols)
  const out = new Uint8Array(count * cols)
  const s = split.sparse
  if (!s) throw new Error('a data split holds neither dense nor sparse pixels')
  for (let r = 0; r < count; r++) {
    const o = r * cols
    for (let t = s.start[start + r]; t < s.start[start + r + 1]; t++) out[o + s.index[t]] = s.value[t]
  }
  return out
}
