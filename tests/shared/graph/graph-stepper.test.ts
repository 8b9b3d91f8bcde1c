import { describe, expect, it } from 'vitest'
import { MulLayer } from '../../../shared/engine/mul-layer'
import { AddLayer } from '../../../shared/engine/add-layer'
import { stepCount, stepperView } from '../../../shared/graph/graph-stepper'
import { scalarGraph } from '../../../shared/graph/scalar-graph'
import { appleGraph } from '../../../shared/graph/shopping-graph'

describe('stepperView', () => {
  const trace = appleGraph.run({ apple: 100, apple_num: 2, tax: 1.1 })

  it('shows only the inputs before the first step', () => {
    const v = stepperView(appleGraph, trace, 0)
    expect(v.phase).toBe('start')
    expect(Object.keys(v.values).sort()).toEqual(['apple', 'apple_num', 'tax'])
    expect(v.grads).toEqual({})
    expect(v.current).toBeNull()
  })

  it('goes forward node by node, then backward edge by edge', () => {
    expect(stepCount(trace)).toBe(2 + 4)
    const v1 = stepperView(appleGraph, trace, 1)
    expect([v1.phase, v1.activeNode, v1.values.apple_price, v1.values.price]).toEqual(['forward', 'apple_price', 200, undefined])
    const v3 = stepperView(appleGraph, trace, 3)
    expect([v3.phase, v3.activeNode, v3.activeEdge]).toEqual(['backward', 'apple_price', { from: 'apple_price', to: 'price' }])
    expect(v3.grads).toEqual({ price: 1, apple_price: 1.1 })
    expect(v3.carried).toEqual({ 'apple_price→price': 1.1 })
    const end = stepperView(appleGraph, trace, 99)
    expect([end.phase, end.position]).toEqual(['done', 6])
    expect(end.grads.apple_num).toBeCloseTo(110, 10)
  })

  it('sums what comes back along every edge out of a node: the chain rule as a sum', () => {
    // z = (x·y) + x: x feeds two nodes, so ∂z/∂x = y + 1
    const g = scalarGraph({
      id: 'chain-rule', section: '', target: 'z',
      inputs: [{ name: 'x', label: 'x', initial: 3 }, { name: 'y', label: 'y', initial: 4 }],
      nodes: [
        { name: 'p', label: '×', args: ['x', 'y'], layer: () => new MulLayer(), formula: 'x × y', locals: { x: 'y', y: 'x' } },
        { name: 'z', label: '+', args: ['p', 'x'], layer: () => new AddLayer(), formula: 'p + x', locals: { p: '1', x: '1' } },
      ],
    })
    const t = g.run({ x: 3, y: 4 })
    const toX = t.backward.filter((s) => s.to === 'x')
    expect(toX.map((s) => s.terms)).toEqual([[1], [1, 4]])
    expect(t.grads.x).toBe(5)
    const mid = stepperView(g, t, 2 + 2)
    expect(mid.grads.x).toBe(1)
    expect(stepperView(g, t, 2 + 3).grads.x).toBe(5)
  })

  it('rejects a node that uses a name before it is defined', () => {
    expect(() => scalarGraph({
      id: 'apple', section: '', target: 'z', inputs: [],
      nodes: [{ name: 'z', label: '+', args: ['q', 1], layer: () => new AddLayer(), formula: 'q + 1', locals: { q: '1' } }],
    })).toThrow(/uses q before/)
  })
})
