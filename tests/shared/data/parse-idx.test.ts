import { describe, it, expect } from 'vitest'
import { assembleDataset, type DatasetParts } from '../../../shared/data/assemble-dataset'
import { isGzip } from '../../../shared/data/gzip'
import { IdxFormatError } from '../../../shared/data/idx-format-error'
import { checkLabelRange, IDX_HEADER_PEEK, idxByteLength, parseIdxImages, parseIdxLabels } from '../../../shared/data/parse-idx'

const IMAGES = 'train-images-idx3-ubyte'
const LABELS = 'train-labels-idx1-ubyte'

/** An IDX file: magic 00 00 type ndim, big-endian u32 dims, then `data`. */
function idx(dims: number[], data: ArrayLike<number>, header: { type?: number; ndim?: number } = {}): Uint8Array {
  const headerBytes = 4 + 4 * dims.length
  const out = new Uint8Array(headerBytes + data.length)
  const view = new DataView(out.buffer)
  out[2] = header.type ?? 0x08
  out[3] = header.ndim ?? dims.length
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d))
  out.set(data, headerBytes)
  return out
}

/** count images of rows×cols; pixel j of image i is (10·i + j) mod 256. */
function images(count: number, rows: number, cols: number): Uint8Array {
  const pixels = Array.from({ length: count * rows * cols }, (_, k) => {
    const i = Math.floor(k / (rows * cols))
    return (10 * i + (k % (rows * cols))) % 256
  })
  return idx([count, rows, cols], pixels)
}

function labels(values: number[]): Uint8Array {
  return idx([values.length], values)
}

function thrown(fn: () => unknown): Error {
  try {
    fn()
  } catch (error) {
    if (error instanceof Error) return error
    throw error
  }
  throw new Error('expected the call to throw')
}

function expectIdxError(fn: () => unknown, file: string, ...fragments: string[]): IdxFormatError {
  const error = thrown(fn)
  expect(error).toBeInstanceOf(IdxFormatError)
  expect(error.name).toBe('IdxFormatError')
  expect((error as IdxFormatError).file).toBe(file)
  expect(error.message.startsWith(`${file}: `)).toBe(true)
  for (const fragment of fragments) expect(error.message).toContain(fragment)
  return error as IdxFormatError
}

function parts(overrides: Partial<Record<keyof DatasetParts, Uint8Array>> = {}): DatasetParts {
  return {
    trainImages: { bytes: overrides.trainImages ?? images(4, 2, 3), file: 'train-images-idx3-ubyte' },
    trainLabels: { bytes: overrides.trainLabels ?? labels([0, 2, 1, 2]), file: 'train-labels-idx1-ubyte' },
    testImages: { bytes: overrides.testImages ?? images(2, 2, 3), file: 't10k-images-idx3-ubyte' },
    testLabels: { bytes: overrides.testLabels ?? labels([2, 0]), file: 't10k-labels-idx1-ubyte' },
  }
}

describe('parseIdxImages', () => {
  it('parses count, size and pixels in row-major order', () => {
    const parsed = parseIdxImages(images(3, 2, 2), IMAGES)
    expect(parsed).toMatchObject({ count: 3, rows: 2, cols: 2 })
    expect(Array.from(parsed.images)).toEqual([0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23])
  })

  it('returns a plain Uint8Array view into a Buffer at a nonzero offset', () => {
    const file = images(2, 2, 2)
    const backing = Buffer.alloc(file.length + 5)
    backing.set(file, 5)
    const bytes = backing.subarray(5)
    const parsed = parseIdxImages(bytes, IMAGES)
    expect(parsed.images.constructor).toBe(Uint8Array)
    expect(parsed.images.buffer).toBe(backing.buffer)
    expect(parsed.images.byteOffset).toBe(backing.byteOffset + 5 + 16)
    expect(Array.from(parsed.images)).toEqual([0, 1, 2, 3, 10, 11, 12, 13])
  })

  it('accepts an empty set of images', () => {
    expect(parseIdxImages(images(0, 28, 28), IMAGES)).toMatchObject({ count: 0, rows: 28, cols: 28 })
  })

  it('rejects a file too short to hold the magic', () => {
    expectIdxError(() => parseIdxImages(new Uint8Array([0, 0]), IMAGES), IMAGES, 'truncated header', 'expected 16 bytes, got 2')
  })

  it('rejects a truncated header', () => {
    const bytes = images(1, 2, 2).subarray(0, 10)
    expectIdxError(() => parseIdxImages(bytes, IMAGES), IMAGES, 'truncated header', 'expected 16 bytes, got 10')
  })

  it('rejects truncated pixel data', () => {
    const bytes = images(2, 2, 3).subarray(0, 16 + 11)
    expectIdxError(() => parseIdxImages(bytes, IMAGES), IMAGES, 'truncated data', 'expected 28 bytes, got 27')
  })

  it('rejects trailing bytes', () => {
    const bytes = new Uint8Array(16 + 12 + 3)
    bytes.set(images(2, 2, 3))
    expectIdxError(() => parseIdxImages(bytes, IMAGES), IMAGES, '3 trailing bytes', 'expected 28 bytes, got 31')
  })

  it('rejects a label file given as images', () => {
    expectIdxError(() => parseIdxImages(labels([1, 2]), IMAGES), IMAGES, 'expected magic 0x00000803, got 0x00000801')
  })

  it('rejects a file whose first two bytes are not zero', () => {
    const bytes = images(1, 2, 2)
    bytes[0] = 0x50
    expectIdxError(() => parseIdxImages(bytes, IMAGES), IMAGES, 'expected magic 0x00000803, got 0x50000803', 'not an IDX file')
  })

  it('tells that gzip data must be decompressed first', () => {
    const bytes = new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    expectIdxError(() => parseIdxImages(bytes, IMAGES), IMAGES, 'got 0x1F8B0800', 'gzip')
  })

  it.each([
    ['0x09 (int8)', 0x09],
    ['0x0B (int16)', 0x0b],
    ['0x0C (int32)', 0x0c],
    ['0x0D (float32)', 0x0d],
    ['0x0E (float64)', 0x0e],
  ])('rejects data type %s by name', (described, type) => {
    const bytes = idx([1, 1, 1], [0], { type })
    const magic = `0x0000${described.slice(2, 4)}03`
    expectIdxError(
      () => parseIdxImages(bytes, IMAGES),
      IMAGES,
      `expected magic 0x00000803, got ${magic}`,
      `unsupported data type ${described}`,
      'only 0x08 (unsigned byte)',
    )
  })

  it('rejects an unknown data type', () => {
    const bytes = idx([1, 1, 1], [0], { type: 0x07 })
    expectIdxError(() => parseIdxImages(bytes, IMAGES), IMAGES, 'unknown data type 0x07')
  })

  it('rejects dimensions whose product overflows', () => {
    const max = 0xffffffff
    const bytes = idx([max, max, max], [])
    expectIdxError(() => parseIdxImages(bytes, IMAGES), IMAGES, 'overflow', '4294967295×4294967295×4294967295')
  })

  it('rejects images with no pixels', () => {
    expectIdxError(() => parseIdxImages(idx([2, 0, 28], []), IMAGES), IMAGES, 'no pixels', '0×28')
  })
})

describe('parseIdxLabels', () => {
  it('parses labels', () => {
    const parsed = parseIdxLabels(labels([5, 0, 4, 1]), LABELS)
    expect(parsed.count).toBe(4)
    expect(Array.from(parsed.labels)).toEqual([5, 0, 4, 1])
  })

  it('accepts labels below the class count', () => {
    expect(parseIdxLabels(labels([0, 9, 3]), LABELS, 10).count).toBe(3)
  })

  it('rejects a truncated label file', () => {
    const bytes = labels([1, 2, 3]).subarray(0, 10)
    expectIdxError(() => parseIdxLabels(bytes, LABELS), LABELS, 'truncated data', 'expected 11 bytes, got 10')
  })

  it('rejects a truncated label header', () => {
    const bytes = labels([1]).subarray(0, 6)
    expectIdxError(() => parseIdxLabels(bytes, LABELS), LABELS, 'truncated header', 'expected 8 bytes, got 6')
  })

  it('rejects an image file given as labels', () => {
    expectIdxError(() => parseIdxLabels(images(1, 2, 2), LABELS), LABELS, 'expected magic 0x00000801, got 0x00000803')
  })

  it('rejects trailing bytes after the labels', () => {
    const bytes = new Uint8Array(8 + 2 + 1)
    bytes.set(labels([1, 2]))
    expectIdxError(() => parseIdxLabels(bytes, LABELS), LABELS, '1 trailing byte:', 'expected 10 bytes, got 11')
  })

  it('rejects a label out of range, naming the first bad index and value', () => {
    expectIdxError(
      () => parseIdxLabels(labels([1, 2, 10, 3, 11]), LABELS, 10),
      LABELS,
      'label out of range',
      'label 10 at index 2',
      '[0, 10)',
    )
  })

  it('rejects a class count that is not a positive integer', () => {
    const error = thrown(() => checkLabelRange(new Uint8Array([0]), LABELS, 0))
    expect(error).toBeInstanceOf(RangeError)
  })
})

describe('idxByteLength', () => {
  it('reads the length a header declares from the first bytes alone', () => {
    const file = images(3, 2, 5)
    expect(idxByteLength(file.subarray(0, IDX_HEADER_PEEK))).toBe(file.length)
    const l = labels([1, 2, 3, 4])
    expect(idxByteLength(l.subarray(0, 8))).toBe(l.length)
  })

  it('declares lengths far beyond what the bytes hold, without reading them', () => {
    expect(idxByteLength(idx([600_000, 28, 28], []))).toBe(16 + 600_000 * 784)
    expect(idxByteLength(idx([0xffffffff, 0xffffffff, 0xffffffff], []))).toBeGreaterThan(Number.MAX_SAFE_INTEGER)
  })

  it('is null for anything but a complete unsigned-byte header of 1 to 3 dimensions', () => {
    expect(idxByteLength(images(1, 2, 2).subarray(0, 15))).toBeNull()
    expect(idxByteLength(idx([2, 2, 2], [], { type: 0x0d }))).toBeNull()
    expect(idxByteLength(idx([2, 2, 2, 2], []))).toBeNull()
    expect(idxByteLength(Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]))).toBeNull()
    expect(idxByteLength(new Uint8Array(0))).toBeNull()
  })
})

describe('isGzip', () => {
  it('detects the gzip magic by bytes', () => {
    expect(isGzip(new Uint8Array([0x1f, 0x8b, 0x08]))).toBe(true)
    expect(isGzip(new Uint8Array([0x00, 0x00, 0x08, 0x03]))).toBe(false)
    expect(isGzip(new Uint8Array([0x1f]))).toBe(false)
  })
})

describe('assembleDataset', () => {
  it('assembles both splits and derives classes from the training labels', () => {
    const dataset = assembleDataset(parts(), 'tiny', 'abc123')
    expect(dataset).toMatchObject({ name: 'tiny', fingerprint: 'abc123', rows: 2, cols: 3, classes: 3 })
    expect(dataset.train.count).toBe(4)
    expect(dataset.train.images!.length).toBe(4 * 6)
    expect(Array.from(dataset.train.labels)).toEqual([0, 2, 1, 2])
    expect(dataset.test.count).toBe(2)
    expect(dataset.test.images!.length).toBe(2 * 6)
    expect(Array.from(dataset.test.labels)).toEqual([2, 0])
  })

  it('rejects a training image/label count mismatch, naming both files and counts', () => {
    expectIdxError(
      () => assembleDataset(parts({ trainLabels: labels([0, 1, 2]) }), 'tiny', 'f'),
      'train-labels-idx1-ubyte',
      'count mismatch',
      'train-labels-idx1-ubyte has 3 labels',
      'train-images-idx3-ubyte has 4 images',
    )
  })

  it('rejects a test image/label count mismatch, naming both files and counts', () => {
    expectIdxError(
      () => assembleDataset(parts({ testImages: images(3, 2, 3) }), 'tiny', 'f'),
      't10k-labels-idx1-ubyte',
      'count mismatch',
      't10k-labels-idx1-ubyte has 2 labels',
      't10k-images-idx3-ubyte has 3 images',
    )
  })

  it('rejects test images of a different size than the training images', () => {
    expectIdxError(
      () => assembleDataset(parts({ testImages: images(2, 3, 2) }), 'tiny', 'f'),
      't10k-images-idx3-ubyte',
      'images are 3×2 but train-images-idx3-ubyte images are 2×3',
    )
  })

  it('rejects a test label outside the training classes', () => {
    expectIdxError(
      () => assembleDataset(parts({ testLabels: labels([1, 3]) }), 'tiny', 'f'),
      't10k-labels-idx1-ubyte',
      'label out of range',
      'label 3 at index 1',
      '[0, 3)',
    )
  })

  it('rejects an empty training split', () => {
    expectIdxError(
      () => assembleDataset(parts({ trainImages: images(0, 2, 3), trainLabels: labels([]) }), 'tiny', 'f'),
      'train-images-idx3-ubyte',
      'no images',
    )
  })

  it('passes on format errors from any of the four files', () => {
    expectIdxError(
      () => assembleDataset(parts({ testLabels: labels([1, 0]).subarray(0, 9) }), 'tiny', 'f'),
      't10k-labels-idx1-ubyte',
      'truncated data',
    )
  })
})
