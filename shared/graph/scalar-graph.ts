import type {
  BackwardStep, ForwardStep, GraphCheck, GraphEdge, GraphExample, GraphExampleId, GraphInput, GraphNode, GraphTrace,
  GraphValue,
} from './graph-example'

/** A scalar node of the book's graphs: MulLayer, AddLayer, and the one-input layers beside this file. */
export interface ScalarLayer {
  forward(...args: number[]): number
  backward(dout: number): number[]
}

export interface ScalarNodeSpec {
  name: string
  label: string
  /** Names of inputs or earlier nodes; a number is a constant of the node (the −1 of ×(−1)) and gets no gradient. */
  args: (string | number)[]
  layer: () => ScalarLayer
  /** node = formula, over the argument names. */
  formula: string
  /** ∂node/∂arg as an expression, for each named argument. */
  locals: Record<string, string>
}

export interface ScalarGraphSpec {
  id: GraphExampleId
  section: string
  target: string
  /** The graph's inputs; one named `dout`, if there, is the gradient fed into the output (1 otherwise). */
  inputs: { name: string; label: string; initial: number }[]
  /** In an order where every argument comes before its node; the last one is the output. */
  nodes: ScalarNodeSpec[]
  /** Results of the graph set beside the same quantities computed another way. */
  checks?: (values: Record<string, number>, grads: Record<string, number>, dout: number) => GraphCheck[]
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)

/**
 * A scalar computational graph as an example: forward node by node in the given order, then
 * backward in reverse, one step per edge. Each node's own layer does the arithmetic: local is
 * its backward(1), what the edge carries is its backward(upstream), and a node that feeds
 * several others sums what comes back from each.
 */
export function scalarGraph(spec: ScalarGraphSpec): GraphExample {
  const named = (args: (string | number)[]) => args.filter((a): a is string => typeof a === 'string')
  const known = new Set(spec.inputs.map((i) => i.name))
  for (const node of spec.nodes) {
    for (const arg of named(node.args)) {
      if (!known.has(arg)) throw new Error(`scalarGraph ${spec.id}: node ${node.name} uses ${arg} before it is defined`)
      if (!(arg in node.locals)) throw new Error(`scalarGraph ${spec.id}: node ${node.name} has no local derivative for ${arg}`)
    }
    known.add(node.name)
  }
  const leaves = spec.inputs.filter((i) => i.name !== 'dout')
  const nodes: GraphNode[] = [
    ...leaves.map((i): GraphNode => ({ name: i.name, label: i.label, kind: 'input' })),
    ...spec.nodes.map((n): GraphNode => ({ name: n.name, label: n.label, kind: 'op' })),
  ]
  const edges: GraphEdge[] = spec.nodes.flatMap((n) => named(n.args).map((from) => ({ from, to: n.name })))
  const inputs: GraphInput[] = spec.inputs.map((i) => ({ ...i }))
  const output = spec.nodes[spec.nodes.length - 1].name

  function run(given: Readonly<Record<string, GraphValue>>): GraphTrace {
    const scalar = (name: string, initial: number) => {
      const v = given[name]
      return typeof v === 'number' ? v : initial
    }
    const values: Record<string, number> = {}
    for (const i of leaves) values[i.name] = scalar(i.name, i.initial)
    const dout = scalar('dout', 1)

    const layers = new Map<string, ScalarLayer>()
    const forward: ForwardStep[] = []
    for (const node of spec.nodes) {
      const layer = node.layer()
      layers.set(node.name, layer)
      const value = layer.forward(...node.args.map((a) => (typeof a === 'number' ? a : values[a])))
      values[node.name] = value
      forward.push({ node: node.name, formula: node.formula, value })
    }

    const terms = new Map<string, number[]>([[output, [dout]]])
    const backward: BackwardStep[] = []
    for (const node of [...spec.nodes].reverse()) {
      const layer = layers.get(node.name) as ScalarLayer
      const upstream = sum(terms.get(node.name) ?? [])
      const local = layer.backward(1)
      const carried = layer.backward(upstream)
      node.args.forEach((arg, k) => {
        if (typeof arg === 'number') return
        const reached = [...(terms.get(arg) ?? []), carried[k]]
        terms.set(arg, reached)
        backward.push({
          from: node.name, to: arg, upstream, rule: node.locals[arg], local: local[k], product: carried[k],
          terms: reached, total: sum(reached),
        })
      })
    }
    const grads: Record<string, number> = {}
    for (const [name, t] of terms) grads[name] = sum(t)
    return {
      values, forward, output, seed: dout, backward, grads,
      checks: spec.checks?.(values, grads, dout) ?? [], extras: [],
    }
  }

  return { id: spec.id, section: spec.section, target: spec.target, inputs, nodes, edges, run }
}
