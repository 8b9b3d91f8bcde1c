import { CancelledError } from './cancelled-error'
import type { Matrix } from './matrix'
import type { MultiLayerNet } from './multi-layer-net'
import { Relu } from './relu'
import type { Labels } from './softmax-with-loss'

export interface ParamCheck {
  name: string
  shape: number[]
  /** Elements compared: all of them minus the kinks. */
  count: number
  /** Elements whose ±h perturbation moved some ReLU input across 0; their numerical gradient means nothing. */
  kinks: number
  meanAbs: number
  maxAbs: number
  /** max |a − n| / max(|a|, |n|, 1e-8): below 1e-8 both are zero for practical purposes. */
  maxRel: number
}

export interface GradientCheckOptions {
  h?: number
  /** Called now and then with elements done and total. */
  onProgress?: (done: number, total: number) => void
  /** Asked before each element; true gives up with CancelledError. */
  shouldStop?: () => boolean
}

/**
 * Compares backprop with central differences (L(θ+h) − L(θ−h)) / 2h on every parameter.
 *
 * Perturbing W_k[i][j] by h moves only column j of that Affine's output, by h·z[:, i]
 * (z its input), and b_k[j] moves it by h. So each difference re-runs only the layers
 * after that Affine, from a copy of its output with one column changed: the same numbers
 * as a full forward pass up to rounding, at a fraction of the cost. An input column that
 * is all zeros changes nothing, so its numerical gradient is exactly 0.
 */
export function gradientCheck(net: MultiLayerNet, x: Matrix, t: Matrix | Labels, opts: GradientCheckOptions = {}): ParamCheck[] {
  const h = opts.h ?? 1e-4
  const grads = net.gradient(x, t)
  const analytic: Record<string, Float64Array> = {}
  for (const key in grads) analytic[key] = grads[key].data.slice()
  const total = net.parameterCount
  let done = 0
  const results: ParamCheck[] = []
  const N = x.rows

  net.affines.forEach((affine, k) => {
    const L = net.layers.indexOf(affine)
    // base pass: the Affine's input and output, and every ReLU mask after it
    net.predict(x)
    const z = L === 0 ? x : layerOutput(net, L - 1, x)
    const base = layerOutput(net, L, x)
    const a = { rows: base.rows, cols: base.cols, data: base.data.slice() }
    const aBase = a.data.slice()
    const relus = net.layers.slice(L + 1).filter((l): l is Relu => l instanceof Relu)
    const baseMasks = relus.map((r) => r.mask.slice())
    const M = a.cols

    const lossWith = (j: number, col: (n: number) => number, sign: number): [number, boolean] => {
      for (let n = 0; n < N; n++) a.data[n * M + j] = aBase[n * M + j] + sign * h * col(n)
      const loss = net.lastLayer.forward(net.forwardFrom(L + 1, a), t)
      let kink = false
      for (let r = 0; r < relus.length && !kink; r++) kink = !sameBytes(relus[r].mask, baseMasks[r])
      return [loss, kink]
    }

    const check = (name: string, shape: number[], grad: Float64Array, column: (e: number) => { j: number; col: (n: number) => number } | null) => {
      let count = 0, kinks = 0, sumAbs = 0, maxAbs = 0, maxRel = 0
      for (let e = 0; e < grad.length; e++) {
        if (opts.shouldStop?.()) throw new CancelledError('the gradient check was cancelled')
        const c = column(e)
        let numeric = 0
        if (c) {
          const [fxh1, k1] = lossWith(c.j, c.col, +1)
          const [fxh2, k2] = lossWith(c.j, c.col, -1)
          for (let n = 0; n < N; n++) a.data[n * M + c.j] = aBase[n * M + c.j]
          if (k1 || k2) { kinks++; continue }
          numeric = (fxh1 - fxh2) / (2 * h)
        }
        const diff = Math.abs(grad[e] - numeric)
        count++
        sumAbs += diff
        if (diff > maxAbs) maxAbs = diff
        const rel = diff / Math.max(Math.abs(grad[e]), Math.abs(numeric), 1e-8)
        if (rel > maxRel) maxRel = rel
        if (++done % 2048 === 0) opts.onProgress?.(done, total)
      }
      done += kinks
      results.push({ name, shape, count, kinks, meanAbs: count ? sumAbs / count : 0, maxAbs, maxRel })
    }

    const W = affine.W, K = W.rows
    check(`W${k + 1}`, [K, M], analytic[`W${k + 1}`], (e) => {
      const i = Math.floor(e / M), j = e % M
      let nonzero = false
      for (let n = 0; n < N && !nonzero; n++) nonzero = z.data[n * K + i] !== 0
      return nonzero ? { j, col: (n) => z.data[n * K + i] } : null
    })
    check(`b${k + 1}`, [M], analytic[`b${k + 1}`], (e) => ({ j: e, col: () => 1 }))
  })
  opts.onProgress?.(total, total)
  return results
}

/** The output buffer of layers[index] after the last full forward pass. */
function layerOutput(net: MultiLayerNet, index: number, x: Matrix): Matrix {
  // Layers keep their last output; re-running 0…index on x returns that same buffer.
  let out = x
  for (let i = 0; i <= index; i++) out = net.layers[i].forward(out)
  return out
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
