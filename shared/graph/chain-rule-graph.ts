import { AddLayer } from '../engine/add-layer'
import { graphCheck } from './graph-check'
import { scalarGraph } from './scalar-graph'
import { SquareLayer } from './square-layer'

/** The book's composite function (5.2): z = t², t = x + y, so ∂z/∂x = ∂z/∂t · ∂t/∂x = 2(x + y). */
export const chainRuleGraph = scalarGraph({
  id: 'chain-rule',
  section: '5.2',
  target: 'z',
  inputs: [
    { name: 'x', label: 'x', initial: 1 },
    { name: 'y', label: 'y', initial: 2 },
  ],
  nodes: [
    { name: 't', label: '+', args: ['x', 'y'], layer: () => new AddLayer(), formula: 'x + y', locals: { x: '1', y: '1' } },
    { name: 'z', label: '**2', args: ['t'], layer: () => new SquareLayer(), formula: 't²', locals: { t: '2·t' } },
  ],
  checks: (v, g) => [
    graphCheck('∂z/∂x = 2(x + y)', g.x, 2 * (v.x + v.y)),
    graphCheck('∂z/∂y = 2(x + y)', g.y, 2 * (v.x + v.y)),
  ],
})
