/** A row-major float64 matrix. A vector is a matrix with one row. */
export interface Matrix {
  rows: number
  cols: number
  data: Float64Array
}

export function zeros(rows: number, cols: number): Matrix {
  return { rows, cols, data: new Float64Array(rows * cols) }
}

export function fromArray(rows: number, cols: number, values: ArrayLike<number>): Matrix {
  if (values.length !== rows * cols) {
    throw new RangeError(`fromArray: expected ${rows * cols} values for (${rows}, ${cols}), got ${values.length}`)
  }
  return { rows, cols, data: Float64Array.from(values) }
}

/** Reuses `m` when it already has this shape, so per-step buffers are allocated once. */
export function ensure(m: Matrix | null, rows: number, cols: number): Matrix {
  if (m && m.rows === rows && m.cols === cols) return m
  return zeros(rows, cols)
}

export function clone(m: Matrix): Matrix {
  return { rows: m.rows, cols: m.cols, data: m.data.slice() }
}

export function shapeOf(m: Matrix): string {
  return `(${m.rows}, ${m.cols})`
}
