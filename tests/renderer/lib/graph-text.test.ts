import { describe, expect, it } from 'vitest'
import { withNumbers } from '../../../renderer/src/lib/graph-expression'
import { layoutGraph, nodeSize } from '../../../renderer/src/lib/graph-layout'
import { stepSummary, stepText } from '../../../renderer/src/lib/graph-step-text'
import { affineBatchGraph } from '../../../shared/graph/affine-batch-graph'
import { chainRuleGraph } from '../../../shared/graph/chain-rule-graph'
import { appleOrangeGraph } from '../../../shared/graph/shopping-graph'
import { sigmoidGraph } from '../../../shared/graph/sigmoid-graph'

describe('withNumbers', () => {
  it('puts values in for names, the longest name first, negatives in parentheses', () => {
    expect(withNumbers('apple × apple_num', { apple: 100, apple_num: 2 })).toBe('100 × 2')
    expect(withNumbers('exp(a)', { a: -0.5 })).toBe('exp(-0.5)')
    expect(withNumbers('b × a', { a: -1, b: 2 })).toBe('2 × (-1)')
    expect(withNumbers('2·t', { t: 3 })).toBe('2·3')
  })
})

describe('stepText', () => {
  it('writes a forward step with its numbers and a backward step as upstream × local', () => {
    const trace = chainRuleGraph.run({ x: 1, y: 2 })
    expect(stepText({ kind: 'forward', index: 1, step: trace.forward[1] }, chainRuleGraph, trace).lines).toEqual(['z = t² = 3² = 9'])
    const back = stepText({ kind: 'backward', index: 0, step: trace.backward[0] }, chainRuleGraph, trace)
    expect(back.heading).toBe('∂z/∂t = ∂z/∂z · ∂z/∂t')
    expect(back.lines).toEqual(['upstream ∂z/∂z = 1', 'local ∂z/∂t = 2·t = 2·3 = 6', 'upstream × local = 1 × 6 = 6'])
  })

  it('writes the sigmoid\'s last local derivative from the output, as the book does', () => {
    const trace = sigmoidGraph.run({ x: 0, dout: 1 })
    const first = stepText({ kind: 'backward', index: 0, step: trace.backward[0] }, sigmoidGraph, trace)
    expect(first.lines[1]).toBe('local ∂y/∂c = −y² = −0.5² = -0.25')
  })

  it('gives matrix steps their rule, shapes, matrices and per-element lines', () => {
    const trace = affineBatchGraph.run({})
    const toW = stepText({ kind: 'backward', index: 2, step: trace.backward[2] }, affineBatchGraph, trace)
    expect(toW.heading).toBe('∂L/∂W = xᵀ·dout')
    expect(toW.lines).toEqual(['shapes: (3, 2)·(2, 2) → (3, 2)'])
    expect(toW.matrices.map((m) => m.label)).toEqual(['upstream ∂L/∂Y', '∂L/∂W = xᵀ·dout'])
    expect(stepText({ kind: 'backward', index: 0, step: trace.backward[0] }, affineBatchGraph, trace).detail).toHaveLength(4)
    expect(stepSummary({ kind: 'backward', index: 1, step: trace.backward[1] }, affineBatchGraph)).toBe('∂L/∂x (from Y) = dout·Wᵀ   (2, 2)·(2, 3) → (2, 3)')
  })
})

describe('layoutGraph', () => {
  it('places every node left of the nodes it feeds, without overlaps', () => {
    const trace = appleOrangeGraph.run({})
    const boxes = new Map(layoutGraph(appleOrangeGraph, trace).map((b) => [b.name, b]))
    for (const { from, to } of appleOrangeGraph.edges) expect(boxes.get(from)!.x + boxes.get(from)!.width).toBeLessThan(boxes.get(to)!.x)
    const list = [...boxes.values()].map((b) => ({ ...b, height: nodeSize(appleOrangeGraph, b.name, trace).height }))
    for (const a of list) {
      for (const b of list) {
        if (a === b) continue
        const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y
        expect(apart, `${a.name} overlaps ${b.name}`).toBe(true)
      }
    }
  })

  it('makes a matrix node wider and taller than a scalar one', () => {
    const trace = affineBatchGraph.run({})
    const W = nodeSize(affineBatchGraph, 'W', trace), b = nodeSize(affineBatchGraph, 'b', trace)
    expect(W.height).toBeGreaterThan(b.height)
    expect(nodeSize(affineBatchGraph, 'x', trace).width).toBeGreaterThan(nodeSize(chainRuleGraph, 'x', chainRuleGraph.run({})).width)
  })
})
