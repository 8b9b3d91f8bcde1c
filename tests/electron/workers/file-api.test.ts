import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createFileApi } from '../../../electron/workers/file-api'
import { tinyDatasetInput } from '../tiny-dataset-input'

const input = tinyDatasetInput()
const { parts } = input

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
