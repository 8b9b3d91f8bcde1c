import { describe, expect, it } from 'vitest'
import { inspectNetwork } from '../../../shared/engine/inspect-network'
import { fromArray } from '../../../shared/engine/matrix'
import { MultiLayerNet } from '../../../shared/engine/multi-layer-net'
import type { NetworkConfig } from '../../../shared/engine/network-config'
import { Random } from '../../../shared/engine/random'
import { layoutNetworkGraph, networkGraph } from '../../../renderer/src/lib/network-graph'

const NET: NetworkConfig = { inputSize: 6, hiddenSizes: [5, 4], outputSize: 3, activation: 'sigmoid', weightInit: { kind: 'xavier' } }

function inspected(network: NetworkConfig, N: number) {
  const rng = new Random(1)
  const x = fromArray(N, network.inputSize, Array.from({ length: N * network.inputSize }, () => rng.next()))
  return inspectNetwork(new MultiLayerNet(network, new Random(2), 'reference'), x, Int32Array.from({ length: N }, (_, n) => n % network.outputSize))
}

describe('networkGraph', () => {
  it('draws x → Affine → Sigmoid → … → Affine → Softmax-with-Loss with the batch\'s shapes', () => {
    const g = networkGraph(NET, 100, null)
    expect(g.nodes.map((n) => n.name)).toEqual(['x', 'Affine1', 'Sigmoid1', 'Affine2', 'Sigmoid2', 'Affine3', 'SoftmaxWithLoss'])
    expect(g.nodes.map((n) => n.shape)).toEqual([
      '(100, 6)', '(100, 6) → (100, 5)', '(100, 5) → (100, 5)', '(100, 5) → (100, 4)', '(100, 4) → (100, 4)', '(100, 4) → (100, 3)', '(100, 3) → L',
    ])
    expect(g.nodes.map((n) => n.label)).toContain('Softmax-with-Loss')
    expect(g.edges.map((e) => [e.from, e.to])).toEqual(g.nodes.slice(1).map((n, i) => [g.nodes[i].name, n.name]))
    expect(g.nodes.every((n) => n.grad === null)).toBe(true)
  })

  it('puts an inspection\'s numbers on its layers, and on x the gradient reaching the input', () => {
    const r = inspected(NET, 8)
    const g = networkGraph(NET, 8, r)
    expect(g.nodes.slice(1, -1).map((n) => n.layer)).toEqual(r.layers)
    expect(g.nodes.slice(1, -1).map((n) => n.grad)).toEqual(r.layers.map((l) => l.doutNorm))
    expect(g.nodes[0].grad).toBe(r.layers[0].dxNorm)
    expect(g.nodes.at(-1)!.grad).toBeNull()
  })

  it('ignores an inspection of another architecture or batch size', () => {
    const r = inspected(NET, 8)
    expect(networkGraph(NET, 16, r).nodes.every((n) => n.layer === null)).toBe(true)
    expect(networkGraph({ ...NET, hiddenSizes: [5, 5] }, 8, r).nodes.every((n) => n.layer === null)).toBe(true)
  })

  it('lays the chain out left to right', () => {
    const g = networkGraph(NET, 8, null)
    const placed = layoutNetworkGraph(g, { width: 100, height: 80 })
    const xs = placed.map((p) => p.x)
    expect(xs).toEqual([...xs].sort((a, b) => a - b))
    expect(new Set(placed.map((p) => p.y)).size).toBe(1)
  })
})
