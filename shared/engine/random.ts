/**
 * xoshiro128** (Blackman & Vigna): 128 bits of state, 32-bit operations only,
 * so every JS engine produces the same stream. Seeded through splitmix32.
 */
export class Random {
  private s = new Uint32Array(4)

  constructor(seed: number) {
    let x = seed >>> 0
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0
      let z = x
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
      this.s[i] = (z ^ (z >>> 16)) >>> 0
    }
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1
  }

  /** The state as four uint32 words, so a run can be resumed exactly. */
  getState(): number[] {
    return Array.from(this.s)
  }

  setState(words: readonly number[]): void {
    if (words.length !== 4 || words.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff)) {
      throw new RangeError('Random.setState: expected four uint32 words')
    }
    if (words.every((w) => w === 0)) throw new RangeError('Random.setState: the all-zero state is invalid')
    this.s.set(words)
  }

  /** A uniform uint32. */
  nextUint32(): number {
    const s = this.s
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0
    const t = s[1] << 9
    s[2] ^= s[0]
    s[3] ^= s[1]
    s[1] ^= s[2]
    s[0] ^= s[3]
    s[2] ^= t
    s[3] = rotl(s[3], 11)
    return result
  }

  /** Uniform in [0, 1) with 53 random bits. */
  next(): number {
    const hi = this.nextUint32() >>> 5 // 27 bits
    const lo = this.nextUint32() >>> 6 // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992
  }

  /** Uniform integer in [0, n), unbiased by rejection. */
  int(n: number): number {
    if (!(n >= 1 && n <= 0x100000000)) throw new RangeError(`Random.int: n must be in [1, 2^32], got ${n}`)
    const limit = 0x100000000 - (0x100000000 % n)
    let r = this.nextUint32()
    while (r >= limit) r = this.nextUint32()
    return r % n
  }

  /** Standard normal by Box–Muller; 1 − u keeps the log argument in (0, 1]. */
  normal(): number {
    const u = 1 - this.next()
    const v = this.next()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
  }

  /** Fisher–Yates, in place. */
  shuffle(a: Int32Array): void {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      const tmp = a[i]
      a[i] = a[j]
      a[j] = tmp
    }
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0
}
