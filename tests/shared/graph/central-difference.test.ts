import { describe, expect, it } from 'vitest'
import { Random } from '../../../shared/engine/random'
import { GRAPH_EXAMPLES } from '../../../shared/graph/graph-examples'
import type { GraphExample, GraphValue } from '../../../shared/graph/graph-example'

const H = 1e-5
const scalarExamples = GRAPH_EXAMPLES.filter((ex) => ex.inputs.every((i) => typeof i.initial === 'number'))

/** Seeded inputs away from 0, so that no example divides by something tiny. */
function randomInputs(ex: GraphExample, rng: Random): Record<string, number> {
  return Object.fromEntries(ex.inputs.map((i) => [i.name, (rng.normal() + Math.sign(rng.normal()) * 0.5) * 3]))
}

describe.each(scalarExamples.map((ex) => [ex.id, ex] as const))('%s against central differences', (_id, ex) => {
  it('every input\'s gradient is dout · (f(v + h) − f(v − h)) / 2h, and every check agrees', () => {
    const rng = new Random(ex.id.length * 7919)
    for (let trial = 0; trial < 5; trial++) {
      const inputs = randomInputs(ex, rng)
      const trace = ex.run(inputs)
      const out = (v: Record<string, GraphValue>) => ex.run(v).values[trace.output] as number
      for (const input of ex.inputs.filter((i) => i.name !== 'dout')) {
        const v = inputs[input.name]
        const numeric = (out({ ...inputs, [input.name]: v + H }) - out({ ...inputs, [input.name]: v - H })) / (2 * H)
        const analytic = trace.grads[input.name] as number
        const seed = trace.seed as number
        expect(Math.abs(analytic - seed * numeric)).toBeLessThan(1e-6 * Math.max(1, Math.abs(analytic)))
      }
      expect(trace.checks.length).toBeGreaterThan(0)
      expect(trace.checks.filter((c) => !c.agree)).toEqual([])
    }
  })
})
