/**
 * A Float64Array that grows by doubling. Values land at their own index, so a batch that
 * arrives late or twice never shifts the others. `view()` returns a new subarray object over
 * the same memory each time: cheap, and a fresh value for a shallowRef to hold.
 */
export class GrowableSeries {
  private buf: Float64Array
  length = 0

  constructor(capacity = 1024) {
    this.buf = new Float64Array(Math.max(capacity, 16))
  }

  /** Writes values[k] at index start + k; any gap before start is NaN. */
  write(start: number, values: ArrayLike<number>): void {
    const end = start + values.length
    if (end > this.buf.length) {
      let cap = this.buf.length
      while (cap < end) cap *= 2
      const next = new Float64Array(cap)
      next.set(this.buf.subarray(0, this.length))
      this.buf = next
    }
    if (start > this.length) this.buf.fill(Number.NaN, this.length, start)
    for (let k = 0; k < values.length; k++) this.buf[start + k] = values[k]
    if (end > this.length) this.length = end
  }

  clear(): void {
    this.length = 0
  }

  view(): Float64Array {
    return this.buf.subarray(0, this.length)
  }
}
