import { AddLayer } from '../engine/add-layer'
import { fromArray } from '../engine/matrix'
import { MulLayer } from '../engine/mul-layer'
import { Sigmoid } from '../engine/sigmoid'
import { ExpLayer } from './exp-layer'
import { graphCheck } from './graph-check'
import { ReciprocalLayer } from './reciprocal-layer'
import { scalarGraph } from './scalar-graph'

/**
 * y = 1 / (1 + exp(−x)) drawn node by node as the book does (5.5.2): x → ×(−1) → exp → +1 → 1/· → y.
 * The graph's dx is set beside the engine's Sigmoid layer, whose backward is dout·y(1 − y).
 */
export const sigmoidGraph = scalarGraph({
  id: 'sigmoid',
  section: '5.5.2',
  target: 'L',
  inputs: [
    { name: 'x', label: 'x', initial: 0.5 },
    { name: 'dout', label: 'dout', initial: 1 },
  ],
  nodes: [
    { name: 'a', label: '×(−1)', args: ['x', -1], layer: () => new MulLayer(), formula: 'x × (−1)', locals: { x: '−1' } },
    { name: 'b', label: 'exp', args: ['a'], layer: () => new ExpLayer(), formula: 'exp(a)', locals: { a: 'exp(a)' } },
    { name: 'c', label: '+1', args: ['b', 1], layer: () => new AddLayer(), formula: 'b + 1', locals: { b: '1' } },
    { name: 'y', label: '1/·', args: ['c'], layer: () => new ReciprocalLayer(), formula: '1 / c', locals: { c: '−y²' } },
  ],
  checks: (v, g, dout) => {
    const layer = new Sigmoid()
    const y = layer.forward(fromArray(1, 1, [v.x])).data[0]
    const dx = layer.backward(fromArray(1, 1, [dout])).data[0]
    return [
      graphCheck('y = Sigmoid.forward(x) = 1 / (1 + exp(−x))', v.y, y),
      graphCheck('dx = Sigmoid.backward(dout) = dout·y(1 − y)', g.x, dx),
    ]
  },
})
