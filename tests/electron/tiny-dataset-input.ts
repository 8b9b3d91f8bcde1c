import type { DatasetInput } from '../../electron/workers/file-api'

/** An unsigned-byte IDX file in shared memory: magic 00 00 08 ndim, big-endian u32 dims, then `data`. */
export function sharedIdx(dims: number[], data: ArrayLike<number>): Uint8Array {
  const header = 4 + 4 * dims.length
  const out = new Uint8Array(new SharedArrayBuffer(header + data.length))
  out[2] = 0x08
  out[3] = dims.length
  const view = new DataView(out.buffer)
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d))
  out.set(data, header)
  return out
}

/** Four tiny IDX files (three 2×2 training images, one test image) as FileApi.buildDataset takes them. */
export function tinyDatasetInput(): DatasetInput {
  const parts = {
    trainImages: { bytes: sharedIdx([3, 2, 2], [0, 5, 0, 7, 9, 0, 0, 0, 1, 2, 3, 4]), file: 'train-images' },
    trainLabels: { bytes: sharedIdx([3], [0, 1, 1]), file: 'train-labels' },
    testImages: { bytes: sharedIdx([1, 2, 2], [0, 0, 8, 0]), file: 'test-images' },
    testLabels: { bytes: sharedIdx([1], [1]), file: 'test-labels' },
  }
  return { parts, name: 'tiny', dir: '/data/tiny', maxNonzeroPixels: 100 }
}
