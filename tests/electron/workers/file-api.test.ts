import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createFileApi } from '../../../electron/workers/file-api'

/** An unsigned-byte IDX file in shared memory: magic 00 00 08 ndim, big-endian u32 dims, then `data`. */
function sharedIdx(dims: number[], data: ArrayLike<number>): Uint8Array {
  const header = 4 + 4 * dims.length
  const out = new Uint8Array(new SharedArrayBuffer(header + data.length))
  out[2] = 0x08
  out[3] = dims.length
  const view = new DataView(out.buffer)
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d))
  out.set(data, header)
  return out
}

const parts = {
  trainImages: { bytes: sharedIdx([3, 2, 2], [0, 5, 0, 7, 9, 0, 0, 0, 1, 2, 3, 4]), file: 'train-images' },
  trainLabels: { bytes: sharedIdx([3], [0, 1, 1]), file: 'train-labels' },
  testImages: { bytes: sharedIdx([1, 2, 2], [0, 0, 8, 0]), file: 'test-images' },
  testLabels: { bytes: sharedIdx([1], [1]), file: 'test-labels' },
}
const input = { parts, name: 'tiny', dir: '/data/tiny', maxNonzeroPixels: 100 }

describe('createFileApi().buildDataset', () => {
  const api = createFileApi()

  it('fingerprints the four files in order with SHA-256', () => {
    const hash = createHash('sha256')
    for (const p of [parts.trainImages, parts.trainLabels, parts.testImages, parts.testLabels]) hash.update(p.bytes)
    expect(api.buildDataset(input).fingerprint).toBe(hash.digest('hex'))
  })

  it('returns labels and pixel lists in shared memory, so the dataset crosses threads without a copy', () => {
    const d = api.buildDataset(input)
    expect(d.train.labels.buffer).toBe(parts.trainLabels.bytes.buffer)
    for (const s of [d.train, d.test]) {
      for (const a of [s.labels, s.sparse!.start, s.sparse!.index, s.sparse!.value]) expect(a.buffer).toBeInstanceOf(SharedArrayBuffer)
    }
    expect(Array.from(d.train.sparse!.start)).toEqual([0, 2, 3, 7])
    expect(Array.from(d.test.sparse!.index)).toEqual([2])
  })

  it('throws a DatasetTooLargeError naming the folder past the nonzero cap', () => {
    expect(() => api.buildDataset({ ...input, maxNonzeroPixels: 7 }))
      .toThrow(expect.objectContaining({ name: 'DatasetTooLargeError', message: '/data/tiny: the images have 8 nonzero pixels, over the cap of 7 for a whole dataset' }))
  })
})
