import type { GraphCheck, GraphValue } from './graph-example'

/** Agreement up to float rounding, relative to the larger magnitude (absolute near 0). */
const TOLERANCE = 1e-7

function entries(v: GraphValue): ArrayLike<number> {
  return typeof v === 'number' ? [v] : v.data
}

/** A result of the graph beside the same quantity computed another way, and whether they agree. */
export function graphCheck(label: string, graph: GraphValue, expected: GraphValue): GraphCheck {
  const a = entries(graph), b = entries(expected)
  let agree = a.length === b.length
  for (let i = 0; agree && i < a.length; i++) {
    agree = Math.abs(a[i] - b[i]) <= TOLERANCE * Math.max(1, Math.abs(a[i]), Math.abs(b[i]))
  }
  return { label, graph, expected, agree }
}
