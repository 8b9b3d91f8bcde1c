import { CancelledError } from './cancelled-error'
import type { Matrix } from './matrix'
import type { MultiLayerNet } from './multi-layer-net'
import type { Params } from './params'
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
  /** |Δ| per element, row-major like the tensor, NaN at kinks; only within GradientCheckOptions.keepElements. */
  absDiff?: Float64Array
  /** The compared elements of largest |Δ|, largest first (GradientCheckOptions.worst of them). */
  worst?: ElementCheck[]
  /** The first kinks in index order (GradientCheckOptions.worst of them); their numeric gradient means nothing. */
  kinkElements?: ElementCheck[]
}

/** One element of a parameter: its row-major index and both gradients. */
export interface ElementCheck {
  index: number
  analytic: number
  numeric: number
  absDiff: number
  relError: number
}

export interface GradientCheckOptions {
  h?: number
  /** Called now and then with elements done and total. */
  onProgress?: (done: number, total: number) => void
  /** Asked before each element; true gives up with CancelledError. */
  shouldStop?: () => boolean
  /** The backward pass under test; net.gradient unless given. */
  gradient?: (net: MultiLayerNet, x: Matrix, t: Matrix | Labels) => Params
  /** Keep |Δ| per element for each parameter, in order, while their total stays within this many elements. */
  keepElements?: number
  /** List this many worst elements and kinks per parameter. */
  worst?: number
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
  const grads = opts.gradient ? opts.gradient(net, x, t) : net.gradient(x, t)
  // the loss must be one fixed function of the parameters: Dropout keeps the masks backprop used
  net.fixDropoutMasks(true)
  const analytic: Record<string, Float64Array> = {}
  for (const key in grads) analytic[key] = grads[key].data.slice()
  const total = net.parameterCount
  let done = 0
  const results: ParamCheck[] = []
  const N = x.rows
  let keepLeft = opts.keepElements ?? 0
  const listed = opts.worst ?? 0

  net.affines.forEach((affine, k) => {
    const L = net.layers.indexOf(affine)
    // base pass (training mode, as the loss checked): the Affine's input and output, and every ReLU mask after it
    net.predict(x, true)
    const z = L === 0 ? x : layerOutput(net, L - 1, x)
    const base = layerOutput(net, L, x)
    const a = { rows: base.rows, cols: base.cols, data: base.data.slice() }
    const aBase = a.data.slice()
    const relus = net.layers.slice(L + 1).filter((l): l is Relu => l instanceof Relu)
    const baseMasks = relus.map((r) => r.mask.slice())
    const M = a.cols

    const lossWith = (j: number, col: (n: number) => number, sign: number): [number, boolean] => {
      for (let n = 0; n < N; n++) a.data[n * M + j] = aBase[n * M + j] + sign * h * col(n)
      const loss = net.lastLayer.forward(net.forwardFrom(L + 1, a, true), t)
      let kink = false
      for (let r = 0; r < relus.length && !kink; r++) kink = !sameBytes(relus[r].mask, baseMasks[r])
      return [loss, kink]
    }

    const check = (name: string, shape: number[], grad: Float64Array, column: (e: number) => { j: number; col: (n: number) => number } | null, extra?: (e: number) => number) => {
      let count = 0, kinks = 0, sumAbs = 0, maxAbs = 0, maxRel = 0
      const absDiff = grad.length <= keepLeft ? new Float64Array(grad.length) : undefined
      if (absDiff) keepLeft -= grad.length
      const worst: ElementCheck[] = [], kinkElements: ElementCheck[] = []
      for (let e = 0; e < grad.length; e++) {
        if (opts.shouldStop?.()) throw new CancelledError('the gradient check was cancelled')
        const c = column(e)
        let numeric = 0
        if (c) {
          const [fxh1, k1] = lossWith(c.j, c.col, +1)
          const [fxh2, k2] = lossWith(c.j, c.col, -1)
          for (let n = 0; n < N; n++) a.data[n * M + c.j] = aBase[n * M + c.j]
          numeric = (fxh1 - fxh2) / (2 * h)
          if (extra) numeric += extra(e)
          if (k1 || k2) {
            kinks++
            if (absDiff) absDiff[e] = Number.NaN
            if (kinkElements.length < listed) kinkElements.push(element(e, grad[e], numeric))
            continue
          }
        } else if (extra) numeric = extra(e)
        const diff = Math.abs(grad[e] - numeric)
        count++
        sumAbs += diff
        if (diff > maxAbs) maxAbs = diff
        const rel = diff / Math.max(Math.abs(grad[e]), Math.abs(numeric), 1e-8)
        if (rel > maxRel) maxRel = rel
        if (absDiff) absDiff[e] = diff
        if (listed && (worst.length < listed || diff > worst[worst.length - 1].absDiff)) keepWorst(worst, element(e, grad[e], numeric), listed)
        if (++done % 2048 === 0) opts.onProgress?.(done, total)
      }
      done += kinks
      const row: ParamCheck = { name, shape, count, kinks, meanAbs: count ? sumAbs / count : 0, maxAbs, maxRel }
      if (absDiff) row.absDiff = absDiff
      if (listed) { row.worst = worst; row.kinkElements = kinkElements }
      results.push(row)
    }

    const W = affine.W, K = W.rows
    check(`W${k + 1}`, [K, M], analytic[`W${k + 1}`], (e) => {
      const i = Math.floor(e / M), j = e % M
      let nonzero = false
      for (let n = 0; n < N && !nonzero; n++) nonzero = z.data[n * K + i] !== 0
      return nonzero ? { j, col: (n) => z.data[n * K + i] } : null
    }, decayDifference(net, W.data, h))
    check(`b${k + 1}`, [M], analytic[`b${k + 1}`], (e) => ({ j: e, col: () => 1 }))
  })
  results.push(...checkBatchNorms(net, x, t, analytic, h, opts.shouldStop))
  net.fixDropoutMasks(false)
  opts.onProgress?.(total, total)
  return results
}

/**
 * Weight decay's share of the central difference of W[e]: 0.5·λ·((w + h)² − (w − h)²) / 2h,
 * taken numerically like the rest (the other W terms of 0.5·λ·ΣW² cancel). None without decay.
 */
function decayDifference(net: MultiLayerNet, W: Float64Array, h: number): ((e: number) => number) | undefined {
  const lambda = net.weightDecay
  if (lambda === 0) return undefined
  return (e) => (0.5 * lambda * (W[e] + h) ** 2 - 0.5 * lambda * (W[e] - h) ** 2) / (2 * h)
}

/**
 * BatchNorm's gamma and beta, by full central differences of the training-mode loss: they are
 * few (two per hidden unit). Elements whose ±h moves a ReLU input across 0 are kinks, as above.
 */
function checkBatchNorms(net: MultiLayerNet, x: Matrix, t: Matrix | Labels, analytic: Record<string, Float64Array>, h: number, shouldStop?: () => boolean): ParamCheck[] {
  const results: ParamCheck[] = []
  const relus = net.layers.filter((l): l is Relu => l instanceof Relu)
  const lossNow = (): [number, Uint8Array[]] => {
    const loss = net.lastLayer.forward(net.predict(x, true), t) + net.weightDecayLoss()
    return [loss, relus.map((r) => r.mask)]
  }
  lossNow()
  const baseMasks = relus.map((r) => r.mask.slice())
  const kinked = () => relus.some((r, i) => !sameBytes(r.mask, baseMasks[i]))
  for (const name in net.params) {
    if (!name.startsWith('gamma') && !name.startsWith('beta')) continue
    const p = net.params[name].data, grad = analytic[name]
    let count = 0, kinks = 0, sumAbs = 0, maxAbs = 0, maxRel = 0
    for (let e = 0; e < p.length; e++) {
      if (shouldStop?.()) throw new CancelledError('the gradient check was cancelled')
      const tmp = p[e]
      p[e] = tmp + h
      const [fxh1] = lossNow()
      const k1 = kinked()
      p[e] = tmp - h
      const [fxh2] = lossNow()
      const k2 = kinked()
      p[e] = tmp
      if (k1 || k2) { kinks++; continue }
      const numeric = (fxh1 - fxh2) / (2 * h)
      const diff = Math.abs(grad[e] - numeric)
      count++
      sumAbs += diff
      if (diff > maxAbs) maxAbs = diff
      const rel = diff / Math.max(Math.abs(grad[e]), Math.abs(numeric), 1e-8)
      if (rel > maxRel) maxRel = rel
    }
    results.push({ name, shape: [p.length], count, kinks, meanAbs: count ? sumAbs / count : 0, maxAbs, maxRel })
  }
  return results
}

/** The output buffer of layers[index] after the last full forward pass. */
function layerOutput(net: MultiLayerNet, index: number, x: Matrix): Matrix {
  // Layers keep their last output; re-running 0…index on x returns that same buffer.
  let out = x
  for (let i = 0; i <= index; i++) out = net.layers[i].forward(out)
  return out
}

function element(index: number, analytic: number, numeric: number): ElementCheck {
  const absDiff = Math.abs(analytic - numeric)
  return { index, analytic, numeric, absDiff, relError: absDiff / Math.max(Math.abs(analytic), Math.abs(numeric), 1e-8) }
}

/** Inserts `e` into `list`, kept sorted by |Δ| descending and at most `size` long. */
function keepWorst(list: ElementCheck[], e: ElementCheck, size: number): void {
  let i = list.length
  while (i > 0 && list[i - 1].absDiff < e.absDiff) i--
  list.splice(i, 0, e)
  if (list.length > size) list.pop()
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
