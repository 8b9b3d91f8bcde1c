import { Affine } from './affine'
import { BatchNormalization } from './batch-normalization'
import { createRelu } from './create-relu'
import { createSparseAffine } from './create-sparse-affine'
import { Dropout } from './dropout'
import type { Engine } from './engine'
import type { KernelHelper } from './kernel-helper'
import { argmaxRow } from './kernels'
import type { AffineLayer, Layer, SparseAffineLayer } from './layer'
import { zeros, type Matrix } from './matrix'
import { isRunningStat, layerSizes, paramShapes, type NamedParam, type NetworkConfig } from './network-config'
import { numericalGradient } from './numerical-gradient'
import type { Params } from './params'
import type { Random } from './random'
import { Relu } from './relu'
import { Sigmoid } from './sigmoid'
import { SoftmaxWithLoss, type Labels } from './softmax-with-loss'
import { SparseRows } from './sparse-rows'
import { initStd } from './weight-init'

/** Chapter 6's regularisation, set per run (TrainConfig.weightDecay and dropout). */
export interface Regularization {
  /** λ: the loss gains 0.5·λ·ΣW² over every W, so each dW gains λ·W. */
  weightDecay?: number
  /** Dropout ratio after each hidden activation; 0 means no Dropout layer. */
  dropout?: number
}

/**
 * The book's TwoLayerNet generalised to k hidden layers, and its MultiLayerNetExtend:
 * x → [Affine → (BatchNorm) → activation → (Dropout)] × k → Affine → SoftmaxWithLoss.
 * Parameters are W1, b1, (gamma1, beta1,) W2, b2, …; W_k is (in, out), b_k, gamma_k and beta_k (1, out).
 * engine 'reference' builds the book's dense Affine layers, 'fast' the sparse ones: same numbers.
 */
export class MultiLayerNet {
  /** W1, b1, W2, b2, …: the matrices the layers compute with, so an update here is an update there. */
  readonly params: Params = {}
  /** Batch Normalization's running statistics, runningMean1, runningVar1, …: state, not trained. */
  readonly runningStats: Params = {}
  readonly affines: AffineLayer[] = []
  readonly batchNorms: BatchNormalization[] = []
  readonly dropouts: Dropout[] = []
  /** Affine, (BatchNorm,) activation, (Dropout,) Affine, …, Affine: everything before the loss. */
  readonly layers: Layer[] = []
  /** λ of weight decay. */
  readonly weightDecay: number
  /** The loss of the last training forward pass, weight decay included. */
  lastLoss = Number.NaN
  readonly lastLayer = new SoftmaxWithLoss()
  /** The first Affine when it can take an input by its nonzeros (the fast engine). */
  private readonly sparseInput: SparseAffineLayer | null = null

  /** helper: a second thread for the fast engine's large products (the same numbers without it). */
  constructor(readonly config: NetworkConfig, rng: Random, readonly engine: Engine = 'fast', regularization: Regularization = {}, helper: KernelHelper | null = null) {
    this.weightDecay = regularization.weightDecay ?? 0
    const dropout = regularization.dropout ?? 0
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
        const sparse = createSparseAffine(W, b, k > 1, helper)
        if (k === 1) this.sparseInput = sparse
        affine = sparse
      }
      // the WebAssembly layer keeps W and b in its own memory, behind these same Matrix objects
      this.params[`W${k}`] = affine.W
      this.params[`b${k}`] = affine.b
      this.affines.push(affine)
      this.layers.push(affine)
      if (k === sizes.length - 1) continue
      if (config.batchnorm) {
        const gamma = zeros(1, fanOut)
        gamma.data.fill(1)
        const bn = new BatchNormalization(gamma, zeros(1, fanOut))
        this.params[`gamma${k}`] = bn.gamma
        this.params[`beta${k}`] = bn.beta
        this.runningStats[`runningMean${k}`] = bn.runningMean
        this.runningStats[`runningVar${k}`] = bn.runningVar
        this.batchNorms.push(bn)
        this.layers.push(bn)
      }
      this.layers.push(config.activation === 'sigmoid' ? new Sigmoid() : engine === 'reference' ? new Relu() : createRelu())
      if (dropout > 0) {
        const d = new Dropout(dropout, rng)
        this.dropouts.push(d)
        this.layers.push(d)
      }
    }
  }

  /** dW1, db1, dW2, … as left by the last backward pass, keyed like params. */
  get grads(): Params {
    const grads: Params = {}
    this.affines.forEach((a, i) => {
      grads[`W${i + 1}`] = a.dW
      grads[`b${i + 1}`] = a.db
      const bn = this.config.batchnorm ? this.batchNorms[i] : undefined
      if (bn) {
        grads[`gamma${i + 1}`] = bn.dgamma
        grads[`beta${i + 1}`] = bn.dbeta
      }
    })
    return grads
  }

  /**
   * Logits (N, classes): the scores before softmax. The fast engine also takes x by its nonzeros.
   * train: Dropout draws a mask and BatchNorm normalises by the batch (and updates its running
   * statistics); otherwise, as at evaluation, Dropout scales and BatchNorm uses the running statistics.
   */
  predict(x: Matrix | SparseRows, train = false): Matrix {
    if (!(x instanceof SparseRows)) return this.forwardFrom(0, x, train)
    if (!this.sparseInput) throw new TypeError('the reference engine takes a dense input, not a list of nonzeros')
    return this.forwardFrom(1, this.sparseInput.forwardSparse(x, train), train)
  }

  /** Runs layers[start…] on `x`; the gradient check restarts the forward pass mid-network. */
  forwardFrom(start: number, x: Matrix, train = false): Matrix {
    let out = x
    for (let i = start; i < this.layers.length; i++) out = this.layers[i].forward(out, train)
    return out
  }

  /** Mean cross-entropy over the batch, plus 0.5·λ·ΣW² with weight decay. */
  loss(x: Matrix | SparseRows, t: Matrix | Labels, train = false): number {
    return this.lastLayer.forward(this.predict(x, train), t) + this.weightDecayLoss()
  }

  /** 0.5·λ·Σ_k ΣW_k², the book's weight_decay term; 0 without weight decay. */
  weightDecayLoss(): number {
    const lambda = this.weightDecay
    if (lambda === 0) return 0
    let s = 0
    for (const a of this.affines) {
      const w = a.W.data
      for (let i = 0; i < w.length; i++) s += w[i] * w[i]
    }
    return 0.5 * lambda * s
  }

  /** Keeps every Dropout layer's current mask through later training passes (or draws afresh again). */
  fixDropoutMasks(fixed: boolean): void {
    for (const d of this.dropouts) d.maskFixed = fixed
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

  /**
   * Backprop: one training forward pass, then every layer's backward in reverse; with weight
   * decay, each dW gains λ·W. Returns grads; lastLoss holds the pass's loss.
   */
  gradient(x: Matrix | SparseRows, t: Matrix | Labels): Params {
    this.lastLoss = this.loss(x, t, true)
    let dout = this.lastLayer.backward(1)
    for (let i = this.layers.length - 1; i >= 0; i--) dout = this.layers[i].backward(dout)
    this.addWeightDecay()
    return this.grads
  }

  /** Weight decay's share of the gradient: ∂(½λ·ΣW²)/∂W = λ·W, added to every dW after backward. */
  addWeightDecay(): void {
    const lambda = this.weightDecay
    if (lambda === 0) return
    for (const a of this.affines) {
      const w = a.W.data, dw = a.dW.data
      for (let i = 0; i < w.length; i++) dw[i] += lambda * w[i]
    }
  }

  /**
   * The book's numerical_gradient of the training loss for every parameter: slow, for checking
   * backprop. Dropout keeps the masks of the last training pass (one is drawn if there was none).
   */
  numericalGradient(x: Matrix, t: Matrix | Labels, h = 1e-4): Params {
    if (this.dropouts.some((d) => d.mask.length === 0)) this.predict(x, true)
    this.fixDropoutMasks(true)
    try {
      const lossW = () => this.loss(x, t, true)
      const grads: Params = {}
      for (const key in this.params) grads[key] = numericalGradient(lossW, this.params[key], h)
      return grads
    } finally {
      this.fixDropoutMasks(false)
    }
  }

  /** Copies of the parameters (and BatchNorm's running statistics) in the shape they cross boundaries in. */
  exportParams(): NamedParam[] {
    return paramShapes(this.config).map(({ name, shape }) => ({ name, shape, data: this.tensor(name).data.slice() }))
  }

  /** A parameter or running statistic by name. */
  private tensor(name: string): Matrix {
    return isRunningStat(name) ? this.runningStats[name] : this.params[name]
  }

  /** Overwrites the parameters; names, order and sizes must match this architecture. */
  importParams(params: readonly NamedParam[]): void {
    const shapes = paramShapes(this.config)
    if (params.length !== shapes.length) {
      throw new RangeError(`importParams: expected ${shapes.length} parameters, got ${params.length}`)
    }
    params.forEach((p, i) => {
      const want = shapes[i]
      const target = this.tensor(want.name)
      if (p.name !== want.name || p.shape.join() !== want.shape.join() || p.data.length !== target.data.length) {
        throw new RangeError(`importParams: ${p.name}: expected ${want.name} of shape [${want.shape.join(', ')}]`)
      }
      target.data.set(p.data)
    })
  }

  get parameterCount(): number {
    return Object.values(this.params).reduce((n, p) => n + p.data.length, 0)
  }
}
