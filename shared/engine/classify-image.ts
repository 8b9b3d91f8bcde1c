import { PIXEL_SCALE } from '../data/fill-batch'
import type { Layer } from './layer'
import { zeros } from './matrix'
import type { MultiLayerNet } from './multi-layer-net'

/** What the network makes of one image. */
export interface ImageClassification {
  /** softmax of the logits, one per class. */
  probabilities: number[]
  /** argmax of probabilities. */
  predicted: number
  /** Each hidden layer's activations: the input of Affine 2, 3, …, one value per unit. */
  hidden: number[][]
}

const isAffine = (layer: Layer) => 'W' in layer && 'dW' in layer

/**
 * Classifies one image given as bytes 0–255, scaled by 1/255 exactly as training scales the
 * dataset's pixels (fillBatch), so a drawing is seen as a dataset image with the same bytes would be.
 */
export function classifyImage(net: MultiLayerNet, pixels: ArrayLike<number>): ImageClassification {
  const D = net.config.inputSize
  if (pixels.length !== D) throw new RangeError(`classifyImage: the network takes ${D} pixels, got ${pixels.length}`)
  const x = zeros(1, D)
  for (let p = 0; p < D; p++) x.data[p] = PIXEL_SCALE[pixels[p]]
  // the logits by the net's own prediction path; the hidden activations layer by layer
  const logits = net.predict(x).data.slice()
  const hidden: number[][] = []
  let out = x
  net.layers.forEach((layer, i) => {
    if (i > 0 && isAffine(layer)) hidden.push(Array.from(out.data))
    // as at evaluation: Dropout scales, BatchNorm uses its running statistics
    if (i < net.layers.length - 1) out = layer.forward(out, false)
  })
  // softmax shifted by the max logit, so exp cannot overflow
  let top = 0
  for (let k = 1; k < logits.length; k++) if (logits[k] > logits[top]) top = k
  const e = Array.from(logits, (v) => Math.exp(v - logits[top]))
  const sum = e.reduce((s, v) => s + v, 0)
  return { probabilities: e.map((v) => v / sum), predicted: top, hidden }
}
