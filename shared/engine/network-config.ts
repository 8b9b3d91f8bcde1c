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
}

/** Layer widths from input to output: [in, ...hidden, out]. */
export function layerSizes(config: NetworkConfig): number[] {
  return [config.inputSize, ...config.hiddenSizes, config.outputSize]
}

/** Expected parameter names and shapes, in order: W1, b1, W2, b2, … */
export function paramShapes(config: NetworkConfig): { name: string; shape: number[] }[] {
  const sizes = layerSizes(config)
  const out: { name: string; shape: number[] }[] = []
  for (let k = 1; k < sizes.length; k++) {
    out.push({ name: `W${k}`, shape: [sizes[k - 1], sizes[k]] })
    out.push({ name: `b${k}`, shape: [sizes[k]] })
  }
  return out
}
