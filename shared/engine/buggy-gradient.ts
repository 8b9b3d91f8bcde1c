import type { GradientBug } from './gradient-bug'
import type { Matrix } from './matrix'
import type { MultiLayerNet } from './multi-layer-net'
import type { Params } from './params'
import { Relu } from './relu'
import type { Labels } from './softmax-with-loss'

/**
 * net.gradient with one classic bug in the backward pass, for the gradient check to catch: the
 * same training forward pass, backward and weight decay, but for the one line the bug changes.
 * Only gradient-check jobs import this module; the trainer and the evaluator cannot reach it.
 * Each bug changes one line of the book's backward pass:
 *
 * - softmax-no-1-over-n: Softmax-with-Loss returns dx = y − t, not (y − t)/N; every gradient is N× too large.
 * - relu-no-mask: ReLU returns dx = dout, not dout where x > 0; gradient leaks through units that were off.
 * - db-not-summed: db = dout[0], the first sample's row, not Σ_rows dout; only the biases go wrong.
 * - dx-no-transpose: dx = dout·W with W's (in, out) buffer read as if it were (out, in), not dout·Wᵀ;
 *   the shapes fit, the numbers do not, and every layer below that Affine gets them.
 */
export function buggyGradient(net: MultiLayerNet, x: Matrix, t: Matrix | Labels, bug: GradientBug): Params {
  net.lastLoss = net.loss(x, t, true)
  let dout = net.lastLayer.backward(bug === 'softmax-no-1-over-n' ? x.rows : 1)
  for (let i = net.layers.length - 1; i >= 0; i--) {
    const layer = net.layers[i]
    if (bug === 'relu-no-mask' && layer instanceof Relu) continue
    let dx = layer.backward(dout)
    const affine = net.affines.find((a) => a === layer)
    if (affine && bug === 'db-not-summed') affine.db.data.set(dout.data.subarray(0, affine.db.cols))
    // the first Affine's dx reaches nothing
    if (affine && bug === 'dx-no-transpose' && i > 0) dx = untransposedProduct(dout, affine.W)
    dout = dx
  }
  net.addWeightDecay()
  return net.grads
}

/** dout·W with W (K, M) read as (M, K): dx[n][k] = Σ_j dout[n][j] · W.data[j·K + k]. */
function untransposedProduct(dout: Matrix, W: Matrix): Matrix {
  const N = dout.rows, K = W.rows, M = W.cols
  const dx: Matrix = { rows: N, cols: K, data: new Float64Array(N * K) }
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < K; k++) {
      let s = 0
      for (let j = 0; j < M; j++) s += dout.data[n * M + j] * W.data[j * K + k]
      dx.data[n * K + k] = s
    }
  }
  return dx
}
