import type { Random } from './random'
import type { Sampling } from './train-config'

/**
 * Chooses the training images of each mini-batch.
 *
 * replacement: every batch is a fresh uniform sample of `batch` distinct indices from all n
 * (the book's np.random.choice(n, batch, replace=False) per step), taken as a partial
 * Fisher–Yates over a persistent permutation: O(batch) per step instead of O(n).
 * epochs: one full shuffle per epoch, consumed in order; the remainder n mod batch is dropped.
 */
export class BatchSampler {
  readonly order: Int32Array
  private pos = 0

  constructor(readonly n: number, readonly batch: number, readonly mode: Sampling, private rng: Random) {
    if (batch > n) throw new RangeError(`batch size ${batch} exceeds the ${n} training images`)
    this.order = new Int32Array(n)
    for (let i = 0; i < n; i++) this.order[i] = i
    if (mode === 'epochs') { rng.shuffle(this.order); this.pos = 0 }
  }

  /** Returns the offset in `order` where this batch's `batch` indices start. */
  next(): number {
    const a = this.order, B = this.batch, n = this.n, rng = this.rng
    if (this.mode === 'replacement') {
      for (let i = 0; i < B; i++) {
        const j = i + rng.int(n - i)
        const tmp = a[i]
        a[i] = a[j]
        a[j] = tmp
      }
      return 0
    }
    if (this.pos + B > n) { rng.shuffle(a); this.pos = 0 }
    const at = this.pos
    this.pos += B
    return at
  }
}
