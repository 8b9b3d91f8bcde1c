export type Activation = 'relu' | 'sigmoid'

/** std: N(0, std²) as the book does; xavier: std 1/√in; he: std √(2/in). */
export type WeightInit =
  | { kind: 'std'; std: number }
  | { kind: 'xavier' }
  | { kind: 'he' }

/** input → [Affine → activation] × hiddenSizes.length → Affine → SoftmaxWithLoss */
export interface NetworkConfig {
  inputSize: number
  hiddenSizes: number[]
  outputSize: number
  activation: Activation
  weightInit: WeightInit
  /**
   * Batch Normalization after every hidden Affine, before its activation (chapter 6): adds
   * gammaK and betaK to the parameters, and runningMeanK and runningVarK for evaluation.
   * Absent means false.
   */
  batchnorm?: boolean
}

/** A named parameter as it crosses boundaries: W is (in, out), b is (out). */
export interface NamedParam {
  name: string
  shape: number[]
  data: Float64Array
}

/** The book's TwoLayerNet(784, 50, 10) with weight_init_std 0.01. */
export const BOOK_NETWORK: NetworkConfig = {
  inputSize: 784,
  hiddenSizes: [50],
  outputSize: 10,
  activation: 'relu',
  weightInit: { kind: 'std', std: 0.01 },
  batchnorm: false,
}

/** Layer widths from input to output: [in, ...hidden, out]. */
export function layerSizes(config: NetworkConfig): number[] {
  return [config.inputSize, ...config.hiddenSizes, config.outputSize]
}

/**
 * Expected parameter names and shapes, in order: W1, b1, W2, b2, … With batchnorm each hidden
 * layer k adds gammaK and betaK (trained) and runningMeanK and runningVarK (the statistics
 * evaluation uses, not trained), after bK: they travel with the weights so that every consumer
 * of a model evaluates it as the trained network does.
 */
export function paramShapes(config: NetworkConfig): { name: string; shape: number[] }[] {
  const sizes = layerSizes(config)
  const out: { name: string; shape: number[] }[] = []
  for (let k = 1; k < sizes.length; k++) {
    out.push({ name: `W${k}`, shape: [sizes[k - 1], sizes[k]] })
    out.push({ name: `b${k}`, shape: [sizes[k]] })
    if (config.batchnorm && k < sizes.length - 1) {
      for (const name of BATCHNORM_PARAMS) out.push({ name: `${name}${k}`, shape: [sizes[k]] })
    }
  }
  return out
}

/** What a Batch Normalization layer adds, per hidden layer: gamma and beta are trained, the running statistics are not. */
export const BATCHNORM_PARAMS = ['gamma', 'beta', 'runningMean', 'runningVar'] as const

/** Whether a parameter name is a running statistic, which no optimiser updates. */
export function isRunningStat(name: string): boolean {
  return name.startsWith('running')
}
