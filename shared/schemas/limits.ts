/**
 * Every bound on what a config, request or file may ask for, in one place: the schemas enforce
 * them, the form and the CLI show them.
 */
export const LIMITS = {
  iters: 10_000_000,
  batchSize: 60_000,
  hiddenLayers: 8,
  hiddenSize: 4096,
  inputSize: 1 << 20,
  outputSize: 256,
  lr: 100,
  std: 10,
  /** λ of weight decay: the book uses 0.1 at most; far above it the loss is the decay term alone. */
  weightDecay: 10,
  seed: 0xffffffff,
  /** Most images in a split: bounds evalSamples and image indices. */
  images: 100_000_000,
  /** Test images in one predict call: the whole MNIST test split. */
  predictIndices: 10_000,
  /** Images per datasetSamples call: 256 MNIST images are 200 KB. */
  samplesPerCall: 256,
  /** Training images in a gradient check; each costs two forward passes per parameter. */
  gradcheckSamples: 100,
  /** PATH_MAX on Linux. */
  pathLength: 4096,
} as const
