import type { BackwardStep, ForwardStep, GraphExample, GraphTrace, GraphValue } from './graph-example'

/** The step a learner has just taken. */
export type CurrentStep =
  | { kind: 'forward'; index: number; step: ForwardStep }
  | { kind: 'backward'; index: number; step: BackwardStep }

/** What the graph shows after `position` steps: forward node by node, then backward edge by edge. */
export interface StepperView {
  position: number
  total: number
  phase: 'start' | 'forward' | 'backward' | 'done'
  /** Forward values known so far: inputs always, an operation once its step is taken. */
  values: Record<string, GraphValue>
  /** Gradients that have reached each node so far; the output's is the seed once backward starts. */
  grads: Record<string, GraphValue>
  /** What each edge has carried back so far, keyed "from→to" in forward direction (to is the consumer). */
  carried: Record<string, GraphValue>
  current: CurrentStep | null
  activeNode: string | null
  /** The edge of the current backward step, in forward direction. */
  activeEdge: { from: string; to: string } | null
}

export const edgeKey = (from: string, to: string) => `${from}→${to}`

export function stepCount(trace: GraphTrace): number {
  return trace.forward.length + trace.backward.length
}

/** The view after `position` steps of `trace` (clamped to the steps there are). */
export function stepperView(example: GraphExample, trace: GraphTrace, position: number): StepperView {
  const F = trace.forward.length
  const total = stepCount(trace)
  const p = Math.max(0, Math.min(total, Math.floor(position)))
  const values: Record<string, GraphValue> = {}
  for (const node of example.nodes) if (node.kind === 'input') values[node.name] = trace.values[node.name]
  trace.forward.slice(0, Math.min(p, F)).forEach((s) => { values[s.node] = s.value })

  const grads: Record<string, GraphValue> = {}
  const carried: Record<string, GraphValue> = {}
  const done = trace.backward.slice(0, Math.max(0, p - F))
  if (p > F) grads[trace.output] = trace.seed
  for (const s of done) {
    grads[s.to] = s.total
    carried[edgeKey(s.to, s.from)] = s.product
  }

  let current: CurrentStep | null = null
  if (p > F) current = { kind: 'backward', index: p - F - 1, step: trace.backward[p - F - 1] }
  else if (p > 0) current = { kind: 'forward', index: p - 1, step: trace.forward[p - 1] }
  const phase = p === 0 ? 'start' : p === total ? 'done' : p <= F ? 'forward' : 'backward'
  return {
    position: p, total, phase, values, grads, carried, current,
    activeNode: current ? (current.kind === 'forward' ? current.step.node : current.step.to) : null,
    activeEdge: current?.kind === 'backward' ? { from: current.step.to, to: current.step.from } : null,
  }
}
