import { describe, expect, it } from 'vitest'
import { DatasetTooLargeError } from '../../../shared/data/dataset-too-large-error'
import { IdxFormatError } from '../../../shared/data/idx-format-error'
import { sparseDataset } from '../../../shared/data/sparse-dataset'
import { sparsePixels } from '../../../shared/data/sparse-pixels'
import { Random } from '../../../shared/engine/random'

/** An unsigned-byte IDX file: magic 00 00 08 ndim, big-endian u32 dims, then `data`. */
function idx(dims: number[], data: ArrayLike<number>): Uint8Array {
  const header = 4 + 4 * dims.length
  const out = new Uint8Array(header + data.length)
  out[2] = 0x08
  out[3] = dims.length
  const view = new DataView(out.buffer)
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d))
  out.set(data, header)
  return out
}

const rng = new Random(3)
const pixels = (n: number) => Array.from({ length: n * 12 }, () => (rng.next() < 0.25 ? 1 + rng.int(255) : 0))
const trainPixels = pixels(9), testPixels = pixels(4)
const parts = {
  trainImages: { bytes: idx([9, 3, 4], trainPixels), file: 'a' },
  trainLabels: { bytes: idx([9], [0, 1, 2, 3, 0, 1, 2, 3, 0]), file: 'b' },
  testImages: { bytes: idx([4, 3, 4], testPixels), file: 'c' },
  testLabels: { bytes: idx([4], [3, 2, 1, 0]), file: 'd' },
}
const nonzero = [...trainPixels, ...testPixels].filter((v) => v !== 0).length
const options = { name: 'tiny', fingerprint: 'f00d', dir: '/data/tiny', maxNonzeroPixels: nonzero }

describe('sparseDataset', () => {
  it('keeps each split as its labels and the lists of its nonzero pixels', () => {
    const d = sparseDataset(parts, options)
    expect(d).toMatchObject({ name: 'tiny', fingerprint: 'f00d', rows: 3, cols: 4, classes: 4 })
    expect(d.train.images).toBeUndefined()
    expect(d.train.sparse).toEqual(sparsePixels(Uint8Array.from(trainPixels), 9, 12))
    expect(d.test.sparse).toEqual(sparsePixels(Uint8Array.from(testPixels), 4, 12))
    expect(Array.from(d.test.labels)).toEqual([3, 2, 1, 0])
    // the labels view the file's bytes, past its header
    expect(d.train.labels.buffer).toBe(parts.trainLabels.bytes.buffer)
  })

  it('refuses more nonzero pixels than the cap, naming the folder and the count', () => {
    const over = () => sparseDataset(parts, { ...options, maxNonzeroPixels: nonzero - 1 })
    expect(over).toThrow(DatasetTooLargeError)
    expect(over).toThrow(`/data/tiny: the images have ${nonzero} nonzero pixels, over the cap of ${nonzero - 1} for a whole dataset`)
  })

  it('passes on format errors from the files', () => {
    const bad = { ...parts, testLabels: { bytes: idx([3], [0, 1, 2]), file: 'd' } }
    expect(() => sparseDataset(bad, options)).toThrow(IdxFormatError)
  })
})
