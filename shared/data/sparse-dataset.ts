import { assembleDataset, type DatasetParts } from './assemble-dataset'
import type { DataSplit, Dataset } from './dataset'
import { DatasetTooLargeError } from './dataset-too-large-error'
import { countNonzero, listPixels } from './sparse-pixels'

export interface SparseDatasetOptions {
  /** Shown to the user. */
  name: string
  /** Hex digest of the four files' bytes. */
  fingerprint: string
  /** The folder the files came from, named in a DatasetTooLargeError. */
  dir: string
  /** Cap on the nonzero pixels of both splits together: the lists keep 3 bytes for each. */
  maxNonzeroPixels: number
}

/**
 * The four IDX files as a Dataset that keeps only its images' nonzero pixels: the dense bytes
 * become garbage once listed. Both splits' nonzeros are counted and checked against the cap
 * before any list is allocated. Labels stay views into `parts` bytes.
 */
export function sparseDataset(parts: DatasetParts, options: SparseDatasetOptions): Dataset {
  const parsed = assembleDataset(parts, options.name, options.fingerprint)
  const cols = parsed.rows * parsed.cols
  const nonzero = [parsed.train, parsed.test].map((s) => countNonzero(s.images!, s.count * cols))
  const total = nonzero[0] + nonzero[1]
  if (total > options.maxNonzeroPixels) {
    throw new DatasetTooLargeError(options.dir, `the images have ${total} nonzero pixels, over the cap of ${options.maxNonzeroPixels} for a whole dataset`)
  }
  const keep = (split: DataSplit, nnz: number): DataSplit =>
    ({ labels: split.labels, count: split.count, sparse: listPixels(split.images!, split.count, cols, nnz) })
  return { ...parsed, train: keep(parsed.train, nonzero[0]), test: keep(parsed.test, nonzero[1]) }
}
