/**
 * A split's images by their nonzero pixels: image n's are index/value[start[n] … start[n+1]).
 * Only 19% of MNIST's pixels are nonzero, and the first layer's products need only those, so
 * listing them once at load time spares every mini-batch and every evaluation a scan of 784 bytes
 * per image. 3 bytes per nonzero: 31 MB for all of MNIST, in shared memory like the pixels.
 */
export interface SparsePixels {
  start: Int32Array
  index: Uint16Array
  value: Uint8Array
}

const alloc = (bytes: number): ArrayBuffer | SharedArrayBuffer =>
  typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes)

/** Lists every image's nonzero pixels; needs cols ≤ 65536 (a pixel index fits 16 bits). */
export function sparsePixels(images: Uint8Array, count: number, cols: number): SparsePixels {
  return listPixels(images, count, cols, countNonzero(images, count * cols))
}

/**
 * The number of nonzero bytes among images[0 … length), so a caller can check it against a cap
 * before listPixels allocates 3 bytes per nonzero.
 */
export function countNonzero(images: Uint8Array, length: number): number {
  let nnz = 0
  for (let i = 0; i < length; i++) if (images[i] !== 0) nnz++
  return nnz
}

/**
 * sparsePixels given the nonzero count from countNonzero. The lists are SharedArrayBuffer-backed
 * wherever shared memory exists, so a worker that builds them hands them on without a copy.
 */
export function listPixels(images: Uint8Array, count: number, cols: number, nnz: number): SparsePixels {
  if (cols > 65536) throw new RangeError(`sparsePixels: ${cols} pixels per image do not fit 16-bit indices`)
  const start = new Int32Array(alloc((count + 1) * 4))
  const index = new Uint16Array(alloc(nnz * 2))
  const value = new Uint8Array(alloc(nnz))
  let t = 0
  for (let n = 0; n < count; n++) {
    start[n] = t
    const o = n * cols
    for (let k = 0; k < cols; k++) {
      const v = images[o + k]
      if (v !== 0) { index[t] = k; value[t] = v; t++ }
    }
  }
  start[count] = t
  return { start, index, value }
}
