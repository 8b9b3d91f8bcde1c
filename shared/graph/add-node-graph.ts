import { AddLayer } from '../engine/add-layer'
import { graphCheck } from './graph-check'
import { scalarGraph } from './scalar-graph'

/** Backward through an addition node (5.3.1): both inputs receive the upstream gradient unchanged. */
export const addNodeGraph = scalarGraph({
  id: 'add-node',
  section: '5.3.1',
  target: 'L',
  inputs: [
    { name: 'x', label: 'x', initial: 10 },
    { name: 'y', label: 'y', initial: 5 },
    { name: 'dout', label: 'dout', initial: 1.3 },
  ],
  nodes: [
    { name: 'out', label: '+', args: ['x', 'y'], layer: () => new AddLayer(), formula: 'x + y', locals: { x: '1', y: '1' } },
  ],
  checks: (_v, g, dout) => [
    graphCheck('∂L/∂x = dout', g.x, dout),
    graphCheck('∂L/∂y = dout', g.y, dout),
  ],
})
