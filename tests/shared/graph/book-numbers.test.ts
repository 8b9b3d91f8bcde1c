import { describe, expect, it } from 'vitest'
import { addNodeGraph } from '../../../shared/graph/add-node-graph'
import { chainRuleGraph } from '../../../shared/graph/chain-rule-graph'
import { formatGraphValue } from '../../../shared/graph/format-graph-value'
import type { GraphExample } from '../../../shared/graph/graph-example'
import { mulNodeGraph } from '../../../shared/graph/mul-node-graph'
import { appleGraph, appleOrangeGraph } from '../../../shared/graph/shopping-graph'
import { sigmoidGraph } from '../../../shared/graph/sigmoid-graph'

const defaults = (ex: GraphExample) => ex.run(Object.fromEntries(ex.inputs.map((i) => [i.name, i.initial])))
/** Node values and gradients as the view prints them. */
const printed = (ex: GraphExample, inputs = {}) => {
  const trace = Object.keys(inputs).length ? ex.run(inputs) : defaults(ex)
  const map = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, formatGraphValue(v as number)]))
  return { values: map(trace.values), grads: map(trace.grads), trace }
}

describe('the book\'s numbers, computed by the engine\'s layers', () => {
  it('apples: 220, and backward from 1 gives 2.2, 110 and 200', () => {
    const { values, grads } = printed(appleGraph)
    expect(values).toMatchObject({ apple_price: '200', price: '220' })
    expect(grads).toMatchObject({ price: '1', apple_price: '1.1', apple: '2.2', apple_num: '110', tax: '200' })
  })

  it('apples and oranges: 715, and 2.2, 110, 3.3, 165, 650', () => {
    const { values, grads } = printed(appleOrangeGraph)
    expect(values).toMatchObject({ apple_price: '200', orange_price: '450', all_price: '650', price: '715' })
    expect(grads).toMatchObject({ apple: '2.2', apple_num: '110', orange: '3.3', orange_num: '165', tax: '650', all_price: '1.1' })
  })

  it('chain rule: t = 3, z = 9, ∂z/∂t = 6, ∂z/∂x = ∂z/∂y = 6', () => {
    const { values, grads, trace } = printed(chainRuleGraph)
    expect(values).toMatchObject({ t: '3', z: '9' })
    expect(grads).toMatchObject({ z: '1', t: '6', x: '6', y: '6' })
    expect(trace.backward.map((s) => [s.from, s.to, s.rule, s.local, s.product])).toEqual([
      ['z', 't', '2·t', 6, 6], ['t', 'x', '1', 1, 6], ['t', 'y', '1', 1, 6],
    ])
  })

  it('addition node: 10 + 5 = 15, upstream 1.3 reaches both inputs', () => {
    const { values, grads } = printed(addNodeGraph)
    expect(values.out).toBe('15')
    expect(grads).toMatchObject({ out: '1.3', x: '1.3', y: '1.3' })
  })

  it('multiplication node: 10 × 5 = 50, x receives 1.3 × 5 = 6.5 and y 1.3 × 10 = 13', () => {
    const { values, grads, trace } = printed(mulNodeGraph)
    expect(values.out).toBe('50')
    expect(grads).toMatchObject({ x: '6.5', y: '13' })
    expect(trace.backward.map((s) => [s.to, s.rule, s.upstream, s.local])).toEqual([['x', 'y', 1.3, 5], ['y', 'x', 1.3, 10]])
  })

  it('the upstream gradient is an input: dout = 2 doubles every gradient', () => {
    const { grads } = printed(mulNodeGraph, { x: 10, y: 5, dout: 2 })
    expect(grads).toMatchObject({ out: '2', x: '10', y: '20' })
  })

  it('sigmoid node by node agrees with the Sigmoid layer, dout·y(1 − y)', () => {
    const trace = sigmoidGraph.run({ x: 0.5, dout: 1 })
    const y = 1 / (1 + Math.exp(-0.5))
    expect(trace.values.y).toBeCloseTo(y, 14)
    expect(trace.grads.x).toBeCloseTo(y * (1 - y), 14)
    expect(trace.backward.map((s) => `${s.from}→${s.to}`)).toEqual(['y→c', 'c→b', 'b→a', 'a→x'])
    expect(trace.backward.map((s) => s.rule)).toEqual(['−y²', '1', 'exp(a)', '−1'])
    expect(trace.checks.map((c) => c.agree)).toEqual([true, true])
  })
})
