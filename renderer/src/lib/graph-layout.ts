import { Graph, layout } from '@dagrejs/dagre'
import { formatGraphValue } from '../../../shared/graph/format-graph-value'
import type { GraphExample, GraphTrace, GraphValue } from '../../../shared/graph/graph-example'

export interface NodeBox {
  name: string
  /** Top-left corner, as Vue Flow places a node. */
  x: number
  y: number
  width: number
}

/**
 * The pixel metrics GraphNodeBox draws with: a line of numbers and one character of it (12 px
 * monospace), one character of the bold header, the key column and the padding around.
 */
export const NODE_METRICS = { line: 17, char: 7.4, headChar: 8.2, header: 24, key: 16, padding: 20, minWidth: 104 } as const

const linesOf = (v: GraphValue | undefined) => (v === undefined ? [''] : formatGraphValue(v).split('\n'))

/** A node's box: wide enough for its header and its longest line of numbers, tall enough for all of them. */
export function nodeSize(example: GraphExample, name: string, trace: GraphTrace): { width: number; height: number } {
  const node = example.nodes.find((n) => n.name === name)
  const extras = trace.extras.filter((e) => e.node === name)
  const blocks = [trace.values[name], trace.grads[name], ...extras.map((e) => e.value)].map(linesOf)
  const { line, char, headChar, header, key, padding, minWidth } = NODE_METRICS
  const longest = Math.max(...blocks.flat().map((l) => l.length), ...extras.map((e) => e.label.length * 0.8))
  const head = node ? node.label.length * headChar + (node.kind === 'op' ? name.length * char + 40 : 0) : 0
  const lines = blocks.reduce((n, b) => n + b.length, 0) + extras.length
  return { width: Math.ceil(Math.max(minWidth, key + longest * char + padding, head + padding)), height: header + lines * line + padding }
}

/** Left to right as the book draws its graphs, laid out by dagre, each node placed by its top-left corner. */
export function layoutGraph(example: GraphExample, trace: GraphTrace): NodeBox[] {
  const g = new Graph()
  g.setGraph({ rankdir: 'LR', nodesep: 28, ranksep: 72, marginx: 8, marginy: 8 })
  g.setDefaultEdgeLabel(() => ({}))
  for (const node of example.nodes) g.setNode(node.name, nodeSize(example, node.name, trace))
  for (const edge of example.edges) g.setEdge(edge.from, edge.to)
  layout(g)
  return example.nodes.map((node) => {
    const { x, y, width, height } = g.node(node.name) as { x: number; y: number; width: number; height: number }
    return { name: node.name, x: x - width / 2, y: y - height / 2, width }
  })
}
