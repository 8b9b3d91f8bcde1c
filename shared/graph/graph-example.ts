import type { Matrix } from '../engine/matrix'

/** A forward value or a gradient: a scalar, or a matrix in the batch examples. */
export type GraphValue = number | Matrix

/** Names of the examples, as the renderer's select offers them. */
export type GraphExampleId =
  | 'apple' | 'apple-orange' | 'sigmoid' | 'relu' | 'chain-rule' | 'add-node' | 'mul-node' | 'affine-batch'

/** An editable input: a scalar, or a matrix edited cell by cell. `dout` is the gradient fed into the output. */
export interface GraphInput {
  name: string
  label: string
  initial: GraphValue
}

/** A box of the drawing: an input (a leaf that receives a gradient) or an operation. */
export interface GraphNode {
  name: string
  /** The operation's symbol ('×', '+', 'exp', 'Affine') or, for an input, the variable's name. */
  label: string
  kind: 'input' | 'op'
}

export interface GraphEdge {
  from: string
  to: string
}

/**
 * One forward step: `node = formula`. Formulas and rules name nodes by their names,
 * so a view can show them as written and again with the numbers put in.
 */
export interface ForwardStep {
  node: string
  formula: string
  value: GraphValue
  /** Shapes of the operands and the result, for matrices: "(2, 3)·(3, 2) + (1, 2) → (2, 2)". */
  shapes?: string
}

/** One backward step along the edge from → to: downstream = upstream × local. */
export interface BackwardStep {
  from: string
  to: string
  /** ∂target/∂from, everything that has reached `from`. */
  upstream: GraphValue
  /** ∂from/∂to as an expression over node names ('tax', '2·t'); for matrices the rule itself ('dout·Wᵀ'). */
  rule: string
  /** The value of ∂from/∂to; null where it is not a number or an elementwise factor (a matrix product). */
  local: GraphValue | null
  /** What this edge carries back to `to`. */
  product: GraphValue
  /** Every product that has reached `to` so far, this one last: the chain rule as a sum. */
  terms: GraphValue[]
  /** Their sum: the gradient at `to` after this step. */
  total: GraphValue
  shapes?: string
  /** One line per element where the rule is elementwise: "(0.62 − 1) / 2 = −0.19". */
  detail?: string[]
}

/** A result of the graph set beside one computed another way (analytically, or by the engine's layer). */
export interface GraphCheck {
  label: string
  graph: GraphValue
  expected: GraphValue
  agree: boolean
}

/** A further value a node shows beside its output: ReLU's mask, the softmax output y. */
export interface NodeExtra {
  node: string
  label: string
  value: GraphValue
}

/** Everything one evaluation computes; a stepper reveals it step by step. */
export interface GraphTrace {
  /** The forward value of every node, inputs included. */
  values: Record<string, GraphValue>
  forward: ForwardStep[]
  /** The node backward starts from and the gradient fed into it. */
  output: string
  seed: GraphValue
  backward: BackwardStep[]
  /** The gradient reaching each node after the whole backward pass. */
  grads: Record<string, GraphValue>
  checks: GraphCheck[]
  extras: NodeExtra[]
}

/** An example graph; its title and what to look at are words, so the renderer's catalogues hold them by id. */
export interface GraphExample {
  id: GraphExampleId
  /** The book's section. */
  section: string
  /** The quantity differentiated: ∂{target}/∂x. */
  target: string
  inputs: GraphInput[]
  nodes: GraphNode[]
  edges: GraphEdge[]
  run(inputs: Readonly<Record<string, GraphValue>>): GraphTrace
}
