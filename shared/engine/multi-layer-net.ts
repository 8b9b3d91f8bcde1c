import { createAffine } from './create-affine'
import { argmaxRow } from './kernels'
import type { AffineLayer, Layer } from './layer'
import { zeros, type Matrix } from './matrix'
import { layerSizes, paramShapes, type NamedParam, type NetworkConfig } from './network-config'
import type { Random } from './random'
import { Relu } from './relu'
import { Sigmoid } from './sigmoid'
import { SoftmaxWithLoss, type Labels } from './softmax-with-loss'
import { SparseRows } from './sparse-rows'
import { initStd } from './weight-init'

/**
 * The book's TwoLayerNet generalised to k hidden layers:
 * x → [Affine → activation] × k → Affine → SoftmaxWithLoss.
 * Parameters are W1, b1, W2, b2, …; W_k is (in, out) and b_k is (1, out).
 */
export class MultiLayerNet {
  readonly params: Matrix[] = []
  readonly names: string[] = []
  readonly affines: AffineLayer[] = []
  /** Affine, activation, Affine, …, Affine: everything before the loss. */
  readonly layers: Layer[] = []
  readonly lastLayer = new SoftmaxWithLoss()

  constructor(readonly config: NetworkConfig, rng: Random) {
    const sizes = layerSizes(config)
    for (let k = 1; k < sizes.length; k++) {
      const fanIn = sizes[k - 1], fanOut = sizes[k]
      const W = zeros(fanIn, fanOut)
      const std = initStd(config.weightInit, fanIn)
      for (let i = 0; i < W.data.length; i++) W.data[i] = std * rng.normal()
      const b = zeros(1, fanOut)
      const affine = createAffine(W, b, k > 1)
      this.params.push(W, b)
      this.names.push(`W${k}`, `b${k}`)
      this.affines.push(affine)
      this.layers.push(affine)
      if (k < sizes.length - 1) this.layers.push(config.activation === 'relu' ? new Relu() : new Sigmoid())
    }
  }

  /** Logits (N, classes): the scores before softmax. x may be given by its nonzeros. */
  predict(x: Matrix | SparseRows): Matrix {
    if (x instanceof SparseRows) return this.forwardFrom(1, this.affines[0].forwardSparse(x))
    return this.forwardFrom(0, x)
  }

  /** Runs layers[start…] on `x`; the gradient check restarts the forward pass mid-network. */
  forwardFrom(start: number, x: Matrix): Matrix {
    let out = x
    for (let i = start; i < this.layers.length; i++) out = this.layers[i].forward(out)
    return out
  }

  /** Mean cross-entropy over the batch. */
  loss(x: Matrix | SparseRows, t: Matrix | Labels): number {
    return this.lastLayer.forward(this.predict(x), t)
  }

  /** Fraction of rows whose argmax matches the label (or the one-hot target's argmax). */
  accuracy(x: Matrix, t: Matrix | Labels): number {
    const y = this.predict(x)
    let correct = 0
    for (let i = 0; i < y.rows; i++) {
      const label = 'data' in t ? argmaxRow(t, i) : t[i]
      if (argmaxRow(y, i) === label) correct++
    }
    return correct / y.rows
  }

  /** Backprop: one forward pass, then every layer's backward in reverse. Grads align with `params`. */
  gradient(x: Matrix | SparseRows, t: Matrix | Labels): Matrix[] {
    this.loss(x, t)
    let dout = this.lastLayer.backward(1)
    for (let i = this.layers.length - 1; i >= 0; i--) dout = this.layers[i].backward(dout)
    return this.grads()
  }

  /** dW1, db1, dW2, … as left by the last backward pass. */
  grads(): Matrix[] {
    const out: Matrix[] = []
    for (const a of this.affines) out.push(a.dW, a.db)
    return out
  }

  /** Central differences (f(θ+h) − f(θ−h)) / 2h on every parameter, the book's way: slow, for checking. */
  numericalGradient(x: Matrix, t: Matrix | Labels, h = 1e-4): Matrix[] {
    return this.params.map((p) => {
      const g = zeros(p.rows, p.cols)
      for (let i = 0; i < p.data.length; i++) {
        const saved = p.data[i]
        p.data[i] = saved + h
        const fxh1 = this.loss(x, t)
        p.data[i] = saved - h
        const fxh2 = this.loss(x, t)
        g.data[i] = (fxh1 - fxh2) / (2 * h)
        p.data[i] = saved
      }
      return g
    })
  }

  /** Copies of the parameters in the shape they cross boundaries in. */
  exportParams(): NamedParam[] {
    const shapes = paramShapes(this.config)
    return this.params.map((p, i) => ({ name: shapes[i].name, shape: shapes[i].shape, data: p.data.slice() }))
  }

  /** Overwrites the parameters; names, order and sizes must match this architecture. */
  importParams(params: readonly NamedParam[]): void {
    const shapes = paramShapes(this.config)
    if (params.length !== shapes.length) {
      throw new RangeError(`importParams: expected ${shapes.length} parameters, got ${params.length}`)
    }
    params.forEach((p, i) => {
      const want = shapes[i]
      if (p.name !== want.name || p.shape.join() !== want.shape.join() || p.data.length !== this.params[i].data.length) {
        throw new RangeError(`importParams: ${p.name}: expected ${want.name} of shape [${want.shape.join(', ')}]`)
      }
      this.params[i].data.set(p.data)
    })
  }

  get parameterCount(): number {
    return this.params.reduce((n, p) => n + p.data.length, 0)
  }
}
