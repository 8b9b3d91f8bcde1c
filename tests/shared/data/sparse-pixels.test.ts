import { describe, expect, it } from 'vitest'
import { fillSparseBatch } from '../../../shared/data/fill-batch'
import { countNonzero, listPixels, sparsePixels } from '../../../shared/data/sparse-pixels'
import { Random } from '../../../shared/engine/random'
import { SparseRows } from '../../../shared/engine/sparse-rows'

describe('sparsePixels', () => {
  const rng = new Random(51)
  const count = 40, cols = 30
  const images = new Uint8Array(count * cols).map(() => (rng.next() < 0.2 ? 1 + rng.int(255) : 0))
  images.fill(0, 5 * cols, 6 * cols) // an all-black image
  const labels = new Uint8Array(count).map(() => rng.int(10))
  const dense = { images, labels, count }
  const sparse = { ...dense, sparse: sparsePixels(images, count, cols) }

  it('lists exactly the nonzero pixels of every image, in order', () => {
    const { start, index, value } = sparse.sparse
    expect(start[count]).toBe(images.filter((v) => v !== 0).length)
    expect(start[6] - start[5]).toBe(0)
    for (let n = 0; n < count; n++) {
      const rebuilt = new Uint8Array(cols)
      for (let t = start[n]; t < start[n + 1]; t++) rebuilt[index[t]] = value[t]
      expect(rebuilt).toEqual(images.subarray(n * cols, (n + 1) * cols))
    }
  })

  it('gives the batch the same sparse rows and labels as a scan of the bytes', () => {
    const idx = Int32Array.from([7, 5, 0, 39, 7, 12])
    const a = new SparseRows(), b = new SparseRows()
    const ta = new Int32Array(6), tb = new Int32Array(6)
    fillSparseBatch(dense, cols, idx, 0, 6, a, ta)
    fillSparseBatch(sparse, cols, idx, 0, 6, b, tb)
    expect(b.pending).not.toBeNull()
    b.materialize()
    expect(b.nnz).toBe(a.nnz)
    expect(b.rowStart.subarray(0, 7)).toEqual(a.rowStart.subarray(0, 7))
    expect(b.colIndex.subarray(0, b.nnz)).toEqual(a.colIndex.subarray(0, a.nnz))
    expect(b.rowValues.subarray(0, b.nnz)).toEqual(a.rowValues.subarray(0, a.nnz))
    expect(tb).toEqual(ta)
  })
})

describe('countNonzero and listPixels', () => {
  const rng = new Random(7)
  const count = 50, cols = 12
  const images = new Uint8Array(count * cols).map(() => (rng.next() < 0.3 ? 1 + rng.int(255) : 0))

  it('counts the nonzeros of the first `length` bytes only', () => {
    const prefix = 17 * cols + 5
    expect(countNonzero(images, prefix)).toBe(images.subarray(0, prefix).filter((v) => v !== 0).length)
  })

  it('lists the pixels in lists of exactly the counted length, in shared memory', () => {
    const nnz = countNonzero(images, count * cols)
    const lists = listPixels(images, count, cols, nnz)
    expect(lists).toEqual(sparsePixels(images, count, cols))
    expect(lists.index).toHaveLength(nnz)
    expect(lists.value).toHaveLength(nnz)
    expect(lists.start).toHaveLength(count + 1)
    for (const a of [lists.start, lists.index, lists.value]) expect(a.buffer).toBeInstanceOf(SharedArrayBuffer)
  })

  it('refuses images too wide for 16-bit pixel indices', () => {
    expect(() => listPixels(new Uint8Array(65537), 1, 65537, 0)).toThrow(RangeError)
  })
})
