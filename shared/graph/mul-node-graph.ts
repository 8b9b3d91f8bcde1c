import { MulLayer } from '../engine/mul-layer'
import { graphCheck } from './graph-check'
import { scalarGraph } from './scalar-graph'

/** Backward through a multiplication node (5.3.2): each input receives dout times the other input. */
export const mulNodeGraph = scalarGraph({
  id: 'mul-node',
  section: '5.3.2',
  target: 'L',
  inputs: [
    { name: 'x', label: 'x', initial: 10 },
    { name: 'y', label: 'y', initial: 5 },
    { name: 'dout', label: 'dout', initial: 1.3 },
  ],
  nodes: [
    { name: 'out', label: '×', args: ['x', 'y'], layer: () => new MulLayer(), formula: 'x × y', locals: { x: 'y', y: 'x' } },
  ],
  checks: (v, g, dout) => [
    graphCheck('∂L/∂x = dout × y', g.x, dout * v.y),
    graphCheck('∂L/∂y = dout × x', g.y, dout * v.x),
  ],
})
