import { Affine } from '../engine/affine'
import { clone, fromArray, shapeOf, type Matrix } from '../engine/matrix'
import { numericalGradient } from '../engine/numerical-gradient'
import { SoftmaxWithLoss } from '../engine/softmax-with-loss'
import type { GraphExample, GraphValue } from './graph-example'
import { formatNumber } from './format-graph-value'
import { graphCheck } from './graph-check'

/** A batch of N = 2 inputs of size 3 into 2 classes: small enough to show every number. */
const X = fromArray(2, 3, [0.6, 0.9, -0.3, -0.2, 0.4, 0.8])
const W = fromArray(3, 2, [0.1, 0.3, -0.5, 0.2, 0.4, -0.6])
const B = fromArray(1, 2, [0.1, -0.2])
const T = fromArray(2, 2, [1, 0, 0, 1])

const matrixOr = (v: GraphValue | undefined, fallback: Matrix): Matrix =>
  v !== undefined && typeof v !== 'number' && v.rows === fallback.rows && v.cols === fallback.cols ? v : fallback

const shapeOfTransposed = (m: Matrix) => `(${m.cols}, ${m.rows})`

/** L for the given x, W, b, t through fresh layers: what the central differences perturb. */
function lossOf(x: Matrix, W: Matrix, b: Matrix, t: Matrix): number {
  return new SoftmaxWithLoss().forward(new Affine(W, b).forward(x), t)
}

/**
 * The batch Affine and Softmax-with-Loss (5.6.2, 5.6.3), computed by the engine's own layers:
 * forward Y = x·W + b, L = softmax-with-loss(Y, t); backward dY = (y − t)/N, then
 * dx = dY·Wᵀ, dW = xᵀ·dY, db = Σ over the batch of dY. Each gradient is checked against central differences of L.
 */
export const affineBatchGraph: GraphExample = {
  id: 'affine-batch',
  section: '5.6',
  target: 'L',
  inputs: [
    { name: 'x', label: 'x', initial: X },
    { name: 'W', label: 'W', initial: W },
    { name: 'b', label: 'b', initial: B },
    { name: 't', label: 't', initial: T },
  ],
  nodes: [
    { name: 'x', label: 'x', kind: 'input' },
    { name: 'W', label: 'W', kind: 'input' },
    { name: 'b', label: 'b', kind: 'input' },
    { name: 't', label: 't', kind: 'input' },
    { name: 'Y', label: 'Affine', kind: 'op' },
    { name: 'L', label: 'Softmax-with-Loss', kind: 'op' },
  ],
  edges: [
    { from: 'x', to: 'Y' }, { from: 'W', to: 'Y' }, { from: 'b', to: 'Y' },
    { from: 'Y', to: 'L' }, { from: 't', to: 'L' },
  ],
  run(given) {
    const x = clone(matrixOr(given.x, X)), w = clone(matrixOr(given.W, W))
    const b = clone(matrixOr(given.b, B)), t = clone(matrixOr(given.t, T))
    const affine = new Affine(w, b)
    const Y = clone(affine.forward(x))
    const swl = new SoftmaxWithLoss()
    const L = swl.forward(Y, t)
    const y = clone(swl.y as Matrix)
    const N = x.rows

    const dY = clone(swl.backward(1))
    const dx = clone(affine.backward(dY))
    const dW = clone(affine.dW), db = clone(affine.db)
    const detail = Array.from(dY.data, (d, i) => {
      const n = Math.floor(i / dY.cols), k = i % dY.cols
      return `[${n}, ${k}]: (${formatNumber(y.data[i])} − ${formatNumber(t.data[i])}) / ${N} = ${formatNumber(d)}`
    })
    const edge = (to: string, rule: string, product: Matrix, shapes: string) => ({
      from: 'Y', to, upstream: dY, rule, local: null, product, terms: [product], total: product, shapes,
    })
    return {
      values: { x, W: w, b, t, Y, L },
      forward: [
        { node: 'Y', formula: 'x·W + b', value: Y, shapes: `${shapeOf(x)}·${shapeOf(w)} + ${shapeOf(b)} → ${shapeOf(Y)}` },
        { node: 'L', formula: 'mean over the batch of −Σ t·log softmax(Y)', value: L, shapes: `${shapeOf(Y)}, t ${shapeOf(t)} → scalar` },
      ],
      output: 'L',
      seed: 1,
      backward: [
        { from: 'L', to: 'Y', upstream: 1, rule: '(y − t) / N', local: null, product: dY, terms: [dY], total: dY, shapes: `${shapeOf(dY)}`, detail },
        edge('x', 'dout·Wᵀ', dx, `${shapeOf(dY)}·${shapeOfTransposed(w)} → ${shapeOf(dx)}`),
        edge('W', 'xᵀ·dout', dW, `${shapeOfTransposed(x)}·${shapeOf(dY)} → ${shapeOf(dW)}`),
        edge('b', 'Σ over the batch of dout', db, `${shapeOf(dY)} → ${shapeOf(db)}`),
      ],
      grads: { L: 1, Y: dY, x: dx, W: dW, b: db },
      checks: [
        graphCheck('dx ≈ (L(x + h) − L(x − h)) / 2h', dx, numericalGradient((v) => lossOf(v, w, b, t), clone(x))),
        graphCheck('dW ≈ (L(W + h) − L(W − h)) / 2h', dW, numericalGradient((v) => lossOf(x, v, b, t), clone(w))),
        graphCheck('db ≈ (L(b + h) − L(b − h)) / 2h', db, numericalGradient((v) => lossOf(x, w, v, t), clone(b))),
      ],
      extras: [{ node: 'L', label: 'y = softmax(Y)', value: y }],
    }
  },
}
