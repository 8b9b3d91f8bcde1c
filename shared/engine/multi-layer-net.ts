import { Affine } from './affine'
import { createSparseAffine } from './create-sparse-affine'
import type { Engine } from './engine'
import { argmaxRow } from './kernels'
import type { AffineLayer, Layer, SparseAffineLayer } from './layer'
import { zeros, type Matrix } from './matrix'
import { layerSizes, paramShapes, type NamedParam, type NetworkConfig } from './network-config'
import { numericalGradient } from './numerical-gradient'
import type { Params } from './params'
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
 * engine 'reference' builds the book's dense Affine layers, 'fast' the sparse ones: same numbers.
 */
export class MultiLayerNet {
  /** W1, b1, W2, b2, …: the matrices the layers compute with, so an update here is an update there. */
  readonly params: Params = {}
  readonly affines: AffineLayer[] = []
  /** Affine, activation, Affine, …, Affine: everything before the loss. */
  readonly layers: Layer[] = []
  readonly lastLayer = new SoftmaxWithLoss()
  /** The first Affine when it can take an input by its nonzeros (the fast engine). */
  private readonly sparseInput: SparseAffineLayer | null = null

  constructor(readonly config: NetworkConfig, rng: Random, readonly engine: Engine = 'fast') {
    const sizes = layerSizes(config)
    for (let k = 1; k < sizes.length; k++) {
      const fanIn = sizes[k - 1], fanOut = sizes[k]
      const W = zeros(fanIn, fanOut)
      const std = initStd(config.weightInit, fanIn)
      for (let i = 0; i < W.data.length; i++) W.data[i] = std * rng.normal()
      const b = zeros(1, fanOut)
      let affine: AffineLayer
      if (engine === 'reference') affine = new Affine(W, b)
      else {
        // nothing consumes ∂L/∂x of the first layer, and dout·Wᵀ would be the step's largest product
        const sparse = createSparseAffine(W, b, k > 1)
        if (k === 1) this.sparseInput = sparse
        affine = sparse
      }
      // the WebAssembly layer keeps W and b in its own memory, behind these same Matrix objects
      this.params[`W${k}`] = affine.W
      this.params[`b${k}`] = affine.b
      this.affines.push(affine)
      this.layers.push(affine)
      if (k < sizes.length - 1) this.layers.push(config.activation === 'relu' ? new Relu() : new Sigmoid())
    }
  }

  /** dW1, db1, dW2, … as left by the last backward pass, keyed like params. */
  get grads(): Params {
    const grads: Params = {}
    this.affines.forEach((a, i) => {
      grads[`W${i + 1}`] = a.dW
      grads[`b${i + 1}`] = a.db
    })
    return grads
  }

  /** Logits (N, classes): the scores before softmax. The fast engine also takes x by its nonzeros. */
  predict(x: Matrix | SparseRows): Matrix {
    if (!(x instanceof SparseRows)) return this.forwardFrom(0, x)
    if (!this.sparseInput) throw new TypeError('the reference engine takes a dense input, not a list of nonzeros')
    return this.forwardFrom(1, this.sparseInput.forwardSparse(x))
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

  /** Backprop: one forward pass, then every layer's backward in reverse. Returns grads. */
  gradient(x: Matrix | SparseRows, t: Matrix | Labels): Params {
    this.loss(x, t)
    let dout = this.lastLayer.backward(1)
    for (let i = this.layers.length - 1; i >= 0; i--) dout = this.layers[i].backward(dout)
    return this.grads
  }

  /** The book's numerical_gradient of the loss for every parameter: slow, for checking backprop. */
  numericalGradient(x: Matrix, t: Matrix | Labels, h = 1e-4): Params {
    const lossW = () => this.loss(x, t)
    const grads: Params = {}
    for (const key in this.params) grads[key] = numericalGradient(lossW, this.params[key], h)
    return grads
  }

  /** Copies of the parameters in the shape they cross boundaries in. */
  exportParams(): NamedParam[] {
    return paramShapes(this.config).map(({ name, shape }) => ({ name, shape, data: this.params[name].data.slice() }))
  }

  /** Overwrites the parameters; names, order and sizes must match this architecture. */
  importParams(params: readonly NamedParam[]): void {
    const shapes = paramShapes(this.config)
    if (params.length !== shapes.length) {
      throw new RangeError(`importParams: expected ${shapes.length} parameters, got ${params.length}`)
    }
    params.forEach((p, i) => {
      const want = shapes[i]
      if (p.name !== want.name || p.shape.join() !== want.shape.join() || p.data.length !== this.params[want.name].data.length) {
        throw new RangeError(`importParams: ${p.name}: expected ${want.name} of shape [${want.shape.join(', ')}]`)
      }
      this.params[want.name].data.set(p.data)
    })
  }

  get parameterCount(): number {
    return Object.values(this.params).reduce((n, p) => n + p.data.length, 0)
  }
}
