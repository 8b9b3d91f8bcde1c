/** Units of a layer sent per liveWeights answer: 64 columns of W1 are 200 KB as float32. */
export const LIVE_WEIGHT_UNITS = 64

/** The first columns of one weight matrix W_layer, each unit's incoming weights in a row. */
export interface LiveWeights {
  /** 1 for W1, 2 for W2, … */
  layer: number
  /** Iterations the weights were trained for, counting those of a resumed model. */
  iterations: number
  /** Rows of W: the inputs of the layer (784 for W1 on MNIST). */
  inputs: number
  /** Columns of W: all the layer's units; the first data.length / inputs of them are sent. */
  units: number
  /** Column j of W as row j: (sent units, inputs), float32, which is ample for a picture. */
  data: Float32Array
  /** training: the running job's weights now; model: the current model's. */
  source: 'training' | 'model'
}

/** W (inputs, units) row-major → its first min(units, max) columns as rows, float32. */
export function weightColumns(W: ArrayLike<number>, inputs: number, units: number, max = LIVE_WEIGHT_UNITS): Float32Array {
  const sent = Math.min(units, max)
  const out = new Float32Array(sent * inputs)
  for (let i = 0; i < inputs; i++) {
    const row = i * units
    for (let j = 0; j < sent; j++) out[j * inputs + i] = W[row + j]
  }
  return out
}
