import { Graph, layout } from '@dagrejs/dagre'
import type { NetworkConfig } from '../../../shared/engine/network-config'
import type { LayerInspection, NetworkInspection } from '../../../shared/ipc'

/** One box of the network's graph: the input, a layer, or the loss. */
export interface NetworkNode {
  /** x, Affine1, ReLU1, …, SoftmaxWithLoss */
  name: string
  kind: 'input' | 'layer' | 'loss'
  /** The operation as the book writes it: Affine, ReLU, Sigmoid, Softmax-with-Loss. */
  label: string
  /** Shapes for the batch: "(100, 784)" for x, "(100, 784) → (100, 50)" for a layer. */
  shape: string
  /** This batch's numbers for the layer, once inspected. */
  layer: LayerInspection | null
  /** ‖∂L/∂(this node's output)‖ once inspected: a layer's ‖dout‖, for x the gradient reaching the input. */
  grad: number | null
}

export interface NetworkGraph {
  nodes: NetworkNode[]
  /** Consecutive pairs, input to loss. */
  edges: { from: string; to: string }[]
}

const LABELS: Record<string, string> = { ReLU: 'ReLU', Sigmoid: 'Sigmoid', Affine: 'Affine' }
const finite = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v : null)
const shapeText = (s: readonly number[]) => `(${s.join(', ')})`

/** The layers the config builds, named as inspectNetwork names them, when no inspection is at hand. */
function configLayers(network: NetworkConfig, N: number): { name: string; kind: string; inShape: number[]; outShape: number[] }[] {
  const sizes = [network.inputSize, ...network.hiddenSizes, network.outputSize]
  const act = network.activation === 'relu' ? 'ReLU' : 'Sigmoid'
  const out: { name: string; kind: string; inShape: number[]; outShape: number[] }[] = []
  for (let k = 1; k < sizes.length; k++) {
    out.push({ name: `Affine${k}`, kind: 'Affine', inShape: [N, sizes[k - 1]], outShape: [N, sizes[k]] })
    if (k < sizes.length - 1) out.push({ name: `${act}${k}`, kind: act, inShape: [N, sizes[k]], outShape: [N, sizes[k]] })
  }
  return out
}

/**
 * x → Affine → activation → … → Affine → Softmax-with-Loss for `network` at batch size N. An
 * inspection of that same architecture supplies the layers (with any kind the engine builds)
 * and their numbers; one of another architecture is ignored.
 */
export function networkGraph(network: NetworkConfig, N: number, inspection: NetworkInspection | null): NetworkGraph {
  const planned = configLayers(network, N)
  const fits = inspection !== null && inspection.batchSize === N && inspection.layers[0]?.inShape[1] === network.inputSize &&
    inspection.layers.filter((l) => l.kind === 'Affine').map((l) => l.outShape[1]).join() === [...network.hiddenSizes, network.outputSize].join()
  const layers = fits ? inspection.layers.map((l) => ({ ...l, layer: l })) : planned.map((l) => ({ ...l, layer: null }))
  const nodes: NetworkNode[] = [
    { name: 'x', kind: 'input', label: 'x', shape: shapeText([N, network.inputSize]), layer: null, grad: finite(layers[0].layer?.dxNorm) },
    ...layers.map((l): NetworkNode => ({
      name: l.name, kind: 'layer', label: LABELS[l.kind] ?? l.kind, shape: `${shapeText(l.inShape)} → ${shapeText(l.outShape)}`,
      layer: l.layer, grad: finite(l.layer?.doutNorm),
    })),
    { name: 'SoftmaxWithLoss', kind: 'loss', label: 'Softmax-with-Loss', shape: `${shapeText([N, network.outputSize])} → L`, layer: null, grad: null },
  ]
  const edges = nodes.slice(1).map((to, i) => ({ from: nodes[i].name, to: to.name }))
  return { nodes, edges }
}

export interface PlacedNode {
  name: string
  x: number
  y: number
}

/** Left to right as the book draws it, laid out by dagre; nodes placed by their top-left corner. */
export function layoutNetworkGraph(graph: NetworkGraph, size: { width: number; height: number }): PlacedNode[] {
  const g = new Graph()
  g.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 28, marginx: 8, marginy: 8 })
  g.setDefaultEdgeLabel(() => ({}))
  for (const n of graph.nodes) g.setNode(n.name, { ...size })
  for (const e of graph.edges) g.setEdge(e.from, e.to)
  layout(g)
  return graph.nodes.map((n) => {
    const { x, y } = g.node(n.name) as { x: number; y: number }
    return { name: n.name, x: x - size.width / 2, y: y - size.height / 2 }
  })
}
