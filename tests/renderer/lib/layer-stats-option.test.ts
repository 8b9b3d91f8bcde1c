import { describe, expect, it } from 'vitest'
import type { LayerStats, LayerStatsSample } from '../../../shared/ipc'
import { thinSamples } from '../../../renderer/src/composables/use-layer-stats'
import { layerStatsOption, ridgeSamples, weightHistogramOption } from '../../../renderer/src/lib/layer-stats-option'

const layer = (name: string, k: number, deadFraction: number | null): LayerStats => ({
  name, mean: 0, std: 0.1 * k, min: -k, max: k, norm: k, gradNorm: 0.5 * k, updateRatio: k ? 1e-3 * k : 0, deadFraction,
  histogram: [1, 2, 3, 2, 1],
})
const sample = (iter: number, k: number): LayerStatsSample => ({ iter, layers: [layer('W1', k, 0.1), layer('W2', k, null)] })

describe('layer statistics charts', () => {
  it('draws one line per layer over the iterations', () => {
    const o = layerStatsOption([sample(0, 1), sample(10, 2)], 'norm', 'light')
    expect(o.series.map((s) => s.name)).toEqual(['W1', 'W2'])
    expect(o.series[0].data).toEqual([[0, 1], [10, 2]])
  })

  it('leaves out what a log axis cannot show and what a layer does not have', () => {
    const ratio = layerStatsOption([sample(0, 0), sample(5, 1)], 'updateRatio', 'dark')
    expect(ratio.yAxis.type).toBe('log')
    expect(ratio.series[0].data).toEqual([[0, null], [5, 1e-3]])
    const dead = layerStatsOption([sample(0, 1)], 'deadFraction', 'light')
    expect(dead.series[0].data).toEqual([[0, 0.1]])
    expect(dead.series[1].data).toEqual([[0, null]])
  })

  it('picks evenly spread histograms, the newest among them', () => {
    expect(ridgeSamples([1, 2, 3], 5)).toEqual([1, 2, 3])
    expect(ridgeSamples([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3)).toEqual([0, 5, 10])
  })

  it('raises older histograms above newer ones, with bins centred on their values', () => {
    const o = weightHistogramOption([sample(0, 1), sample(10, 2)], 0, 'light')
    expect(o.series.map((s) => s.name)).toEqual(['iteration 0', 'iteration 10'])
    // bins of W1 at iteration 0 span [−1, 1] in 5: centres −0.8 … 0.8
    expect(o.series[0].data.map((p) => p[0])).toEqual([-0.8, -0.4, 0, 0.4, 0.8].map((x) => expect.closeTo(x, 12)))
    const lowest = (s: { data: number[][] }) => Math.min(...s.data.map((p) => p[1]))
    expect(lowest(o.series[0])).toBeGreaterThan(lowest(o.series[1]))
  })

  it('thins a long history to every other sample, keeping the newest', () => {
    expect(thinSamples([0, 1, 2, 3, 4])).toEqual([0, 2, 4])
    expect(thinSamples([0, 1, 2, 3])).toEqual([0, 2, 3])
  })
})
