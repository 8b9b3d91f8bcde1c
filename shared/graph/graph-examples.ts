import { addNodeGraph } from './add-node-graph'
import { affineBatchGraph } from './affine-batch-graph'
import { chainRuleGraph } from './chain-rule-graph'
import type { GraphExample } from './graph-example'
import { mulNodeGraph } from './mul-node-graph'
import { reluGraph } from './relu-graph'
import { appleGraph, appleOrangeGraph } from './shopping-graph'
import { sigmoidGraph } from './sigmoid-graph'

/** The examples in the order of the book's chapter 5. */
export const GRAPH_EXAMPLES: readonly GraphExample[] = [
  chainRuleGraph, addNodeGraph, mulNodeGraph, appleGraph, appleOrangeGraph, reluGraph, sigmoidGraph, affineBatchGraph,
]
