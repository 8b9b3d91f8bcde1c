import { clone, fromArray, type Matrix } from '../engine/matrix'
import { Relu } from '../engine/relu'
import type { GraphExample, GraphValue } from './graph-example'
import { formatNumber } from './format-graph-value'

const X = fromArray(2, 2, [1.0, -0.5, -2.0, 3.0])
const DOUT = fromArray(2, 2, [0.1, 0.2, 0.3, 0.4])

const matrixOr = (v: GraphValue | undefined, fallback: Matrix): Matrix =>
  v !== undefined && typeof v !== 'number' && v.rows === fallback.rows && v.cols === fallback.cols ? v : fallback

/** The engine's ReLU on the book's x (5.5.1): y = max(0, x); backward passes dout where x > 0 and stops it elsewhere. */
export const reluGraph: GraphExample = {
  id: 'relu',
  section: '5.5.1',
  target: 'L',
  inputs: [
    { name: 'x', label: 'x', initial: X },
    { name: 'dout', label: 'dout', initial: DOUT },
  ],
  nodes: [
    { name: 'x', label: 'x', kind: 'input' },
    { name: 'y', label: 'ReLU', kind: 'op' },
  ],
  edges: [{ from: 'x', to: 'y' }],
  run(given) {
    const x = clone(matrixOr(given.x, X)), dout = clone(matrixOr(given.dout, DOUT))
    const layer = new Relu()
    const y = clone(layer.forward(x))
    // the book's mask is true where the unit is off; the engine keeps its complement
    const mask = fromArray(x.rows, x.cols, Array.from(layer.mask, (on) => 1 - on))
    const pass = fromArray(x.rows, x.cols, layer.mask)
    const dx = clone(layer.backward(dout))
    const detail = Array.from(x.data, (v, i) => layer.mask[i]
      ? `x = ${formatNumber(v)} > 0: dout ${formatNumber(dout.data[i])} passes`
      : `x = ${formatNumber(v)} <= 0: mask, dout ${formatNumber(dout.data[i])} stops → 0`)
    return {
      values: { x, y },
      forward: [{ node: 'y', formula: 'max(0, x)', value: y, shapes: `(${x.rows}, ${x.cols}) → (${y.rows}, ${y.cols})` }],
      output: 'y',
      seed: dout,
      backward: [{
        from: 'y', to: 'x', upstream: dout, rule: 'dout where x > 0, else 0', local: pass, product: dx,
        terms: [dx], total: dx, detail,
      }],
      grads: { y: dout, x: dx },
      checks: [],
      extras: [{ node: 'y', label: 'mask = (x <= 0)', value: mask }],
    }
  },
}
