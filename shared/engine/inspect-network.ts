import type { AffineLayer, Layer } from './layer'
import type { Matrix } from './matrix'
import type { MultiLayerNet } from './multi-layer-net'
import { Relu } from './relu'
import { Sigmoid } from './sigmoid'
import type { Labels } from './softmax-with-loss'
import { l2Norm, tensorStats, type TensorStats } from './tensor-stats'

/** One layer of the network for one batch: what went forward and what came back. */
export interface LayerInspection {
  /** Kind and number among its kind, from the input: Affine1, ReLU1, Affine2, … */
  name: string
  /** 'Affine', 'ReLU', 'Sigmoid', or the class name of any other layer. */
  kind: string
  /** (N, in) and (N, out). */
  inShape: [number, number]
  outShape: [number, number]
  /** Statistics of the forward output. */
  out: TensorStats
  /** ‖∂L/∂out‖: the gradient arriving from the layer above. */
  doutNorm: number
  /** ‖∂L/∂x‖: what the layer passes on toward the input. */
  dxNorm: number
  /** ReLU only: the fraction of units (over the batch) with x > 0, the ones that pass dout back. */
  passFraction: number | null
  /** Affine only: its weight matrix by name, ‖W‖ and ‖dW‖. */
  weight: { name: string; norm: number; gradNorm: number } | null
}

/** Softmax-with-Loss for the batch, and its backward set beside (y − t)/N. */
export interface SoftmaxInspection {
  /** (N, classes) */
  shape: [number, number]
  loss: number
  /** The first row of y, of the one-hot t, and of the backward dx. */
  y: number[]
  t: number[]
  dx: number[]
  /** The largest |dx − (y − t)/N| over the whole batch: 0 up to rounding. */
  maxDeviation: number
}

export interface NetworkInspection {
  batchSize: number
  /** Mean cross-entropy of the batch (without any weight-decay term). */
  loss: number
  /** From the input to the last Affine. */
  layers: LayerInspection[]
  softmax: SoftmaxInspection
}

const isAffine = (layer: Layer): layer is AffineLayer => 'W' in layer && 'dW' in layer

function kindOf(layer: Layer): string {
  if (layer instanceof Relu) return 'ReLU'
  if (layer instanceof Sigmoid) return 'Sigmoid'
  if (isAffine(layer)) return 'Affine'
  return layer.constructor.name
}

/**
 * One forward and backward pass of `net` on the batch (x, t), as training runs it, recording at
 * every layer the statistics of its output, the norm of the gradient arriving at it (‖dout‖) and
 * leaving it (‖dx‖). Leaves the net's grads as one training step would.
 * x: (N, inputSize); t: N labels. ‖dx‖ of the first Affine is NaN on the fast engine, which skips it.
 */
export function inspectNetwork(net: MultiLayerNet, x: Matrix, t: Labels): NetworkInspection {
  const layers = net.layers
  const counts = new Map<string, number>()
  const records: LayerInspection[] = []
  let out = x
  let affines = 0
  for (const layer of layers) {
    const kind = kindOf(layer)
    const k = (counts.get(kind) ?? 0) + 1
    counts.set(kind, k)
    const inShape: [number, number] = [out.rows, out.cols]
    // a training pass: Dropout draws its mask, BatchNorm normalises by the batch
    out = layer.forward(out, true)
    const weight = isAffine(layer) ? { name: `W${++affines}`, norm: 0, gradNorm: 0 } : null
    records.push({
      name: `${kind}${k}`, kind, inShape, outShape: [out.rows, out.cols], out: tensorStats(out.data),
      doutNorm: 0, dxNorm: 0, passFraction: layer instanceof Relu ? passFraction(layer) : null, weight,
    })
  }

  const last = net.lastLayer
  const loss = last.forward(out, t)
  let dout = last.backward(1)
  const softmax = inspectSoftmax(last.y!, t, dout, loss)
  for (let i = layers.length - 1; i >= 0; i--) {
    const r = records[i]
    r.doutNorm = l2Norm(dout.data)
    dout = layers[i].backward(dout)
    // the fast engine's first Affine skips dx (nothing consumes it) and hands back zeros
    r.dxNorm = i === 0 && net.engine !== 'reference' ? Number.NaN : l2Norm(dout.data)
    const layer = layers[i]
    if (r.weight && isAffine(layer)) {
      r.weight.norm = l2Norm(layer.W.data)
      r.weight.gradNorm = l2Norm(layer.dW.data)
    }
  }
  return { batchSize: x.rows, loss, layers: records, softmax }
}

function passFraction(relu: Relu): number {
  let on = 0
  for (let i = 0; i < relu.mask.length; i++) on += relu.mask[i]
  return relu.mask.length ? on / relu.mask.length : 0
}

/** The backward's first row beside y and t, and how far any element of it is from (y − t)/N. */
function inspectSoftmax(y: Matrix, t: Labels, dx: Matrix, loss: number): SoftmaxInspection {
  const N = y.rows, K = y.cols
  let maxDeviation = 0
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < K; k++) {
      const expected = (y.data[n * K + k] - (t[n] === k ? 1 : 0)) / N
      maxDeviation = Math.max(maxDeviation, Math.abs(dx.data[n * K + k] - expected))
    }
  }
  return {
    shape: [N, K],
    loss,
    y: Array.from(y.data.subarray(0, K)),
    t: Array.from({ length: K }, (_, k) => (t[0] === k ? 1 : 0)),
    dx: Array.from(dx.data.subarray(0, K)),
    maxDeviation,
  }
}
