import type { Random } from './random'
import type { Sampling } from './train-config'

/**
 * Where an epoch sampler is: the PRNG state its epoch's shuffle started from, and the next
 * position in that order. Empty for replacement sampling, whose only state is the PRNG.
 */
export interface SamplerState {
  shuffleState: number[]
  pos: number
}

/**
 * Chooses the training images of each mini-batch.
 *
 * replacement: every batch is a fresh uniform sample of `batch` distinct indices from all n
 * (the book's np.random.choice(n, batch, replace=False) per step), drawn as a partial
 * Fisher–Yates over 0…n−1 in O(batch) instead of O(n). The swaps are undone before the next
 * draw, so the sampler's only state is the PRNG: a run resumed from a saved PRNG state
 * continues exactly as if it had never stopped.
 * epochs: one full shuffle of 0…n−1 per epoch, consumed in order; the remainder n mod batch is
 * dropped. Each shuffle starts from the identity, so the order is a function of the PRNG state
 * at the shuffle alone, and a resumed run rebuilds it from that state (SamplerState).
 */
export class BatchSampler {
  readonly order: Int32Array
  private pos = 0
  private readonly swaps: Int32Array
  private drawn = false
  private shuffleState: number[] = []

  constructor(readonly n: number, readonly batch: number, readonly mode: Sampling, private rng: Random) {
    if (batch > n) throw new RangeError(`batch size ${batch} exceeds the ${n} training images`)
    this.order = new Int32Array(n)
    for (let i = 0; i < n; i++) this.order[i] = i
    this.swaps = new Int32Array(batch)
    this.pos = n
  }

  /** Returns the offset in `order` where this batch's `batch` indices start. */
  next(): number {
    const a = this.order, B = this.batch, n = this.n
    if (this.mode === 'replacement') {
      const swaps = this.swaps
      if (this.drawn) {
        for (let i = B - 1; i >= 0; i--) {
          const j = swaps[i], tmp = a[i]
          a[i] = a[j]
          a[j] = tmp
        }
      }
      for (let i = 0; i < B; i++) {
        const j = i + this.rng.int(n - i)
        swaps[i] = j
        const tmp = a[i]
        a[i] = a[j]
        a[j] = tmp
      }
      this.drawn = true
      return 0
    }
    if (this.pos + B > n) this.shuffle()
    const at = this.pos
    this.pos += B
    return at
  }

  private shuffle(): void {
    this.shuffleState = this.rng.getState()
    for (let i = 0; i < this.n; i++) this.order[i] = i
    this.rng.shuffle(this.order)
    this.pos = 0
  }

  state(): SamplerState {
    return { shuffleState: [...this.shuffleState], pos: this.mode === 'epochs' ? this.pos : 0 }
  }

  /** Rebuilds the epoch a state() was taken in; the PRNG is left where it was. */
  setState(state: SamplerState): void {
    if (this.mode !== 'epochs' || state.shuffleState.length === 0) return
    if (!Number.isInteger(state.pos) || state.pos < 0 || state.pos > this.n) {
      throw new RangeError(`sampler state: pos must be a whole number from 0 to ${this.n}, got ${state.pos}`)
    }
    const now = this.rng.getState()
    this.rng.setState(state.shuffleState)
    this.shuffle()
    this.rng.setState(now)
    this.pos = state.pos
  }
}
