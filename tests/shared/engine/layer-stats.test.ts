import { beforeAll, describe, expect, it } from 'vitest'
import { loadDefaultDataset } from '../../../electron/services/dataset-loader'
import type { Dataset } from '../../../shared/data/dataset'
import { deadUnitFraction, histogram, HISTOGRAM_BINS, layerStats, sampleEntries, UPDATE_SAMPLE, updateStride } from '../../../shared/engine/layer-stats'
import { LAYER_STATS_MS, LayerStatsProbe } from '../../../shared/engine/layer-stats-probe'
import { fromArray } from '../../../shared/engine/matrix'
import { BOOK_TRAINING } from '../../../shared/engine/train-config'
import { Trainer } from '../../../shared/engine/trainer'

let mnist: Dataset
beforeAll(async () => { mnist = await loadDefaultDataset() })

const norm = (a: ArrayLike<number>) => Math.sqrt(Array.from(a).reduce((s, v) => s + v * v, 0))

describe('layerStats', () => {
  it('gives mean, std, min, max, the norms and the update ratio of a small W', () => {
    const W = fromArray(2, 3, [1, -2, 3, 0, 0.5, -0.5])
    const dW = fromArray(2, 3, [0.1, 0, 0, 0, 0, -0.2])
    const before = Float64Array.from([1, -2, 3, 0, 0.5, -1])
    const s = layerStats('W1', W, dW, before, 1, 0.25)
    expect(s.mean).toBeCloseTo(2 / 6, 15)
    const m = 2 / 6
    expect(s.std).toBeCloseTo(Math.sqrt([1, -2, 3, 0, 0.5, -0.5].reduce((a, v) => a + (v - m) ** 2, 0) / 6), 15)
    expect([s.min, s.max]).toEqual([-2, 3])
    expect(s.norm).toBeCloseTo(norm(W.data), 15)
    expect(s.gradNorm).toBeCloseTo(Math.hypot(0.1, 0.2), 15)
    expect(s.updateRatio).toBeCloseTo(0.5 / norm(before), 15)
    expect(s.deadFraction).toBe(0.25)
    expect(s.histogram).toHaveLength(HISTOGRAM_BINS)
    expect(s.histogram.reduce((a, b) => a + b, 0)).toBe(6)
  })

  it('bins the maximum into the last bin and a constant into the first', () => {
    expect(histogram(Float64Array.from([0, 0.5, 1]), 0, 1, 2)).toEqual([1, 2])
    expect(histogram(Float64Array.from([4, 4]), 4, 4, 3)).toEqual([2, 0, 0])
    // a range so small that bins per unit overflow: min in the first bin, max in the last
    expect(histogram(Float64Array.from([0, 5e-324]), 0, 5e-324, 3)).toEqual([1, 0, 1])
  })

  it('counts a unit dead only when it is 0 for every row of the batch', () => {
    // rows × units = 3 × 4: unit 0 fires once, unit 2 never, unit 3 never, unit 1 always
    const mask = Uint8Array.from([0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0])
    expect(deadUnitFraction(mask, 3, 4)).toBe(0.5)
  })

  it('samples at most UPDATE_SAMPLE entries, evenly strided', () => {
    const n = 3 * UPDATE_SAMPLE + 5, stride = updateStride(n)
    expect(Math.ceil(n / stride)).toBeLessThanOrEqual(UPDATE_SAMPLE)
    const W = Float64Array.from({ length: n }, (_, i) => i)
    const into = new Float64Array(Math.ceil(n / stride))
    sampleEntries(W, stride, into)
    expect(into[1]).toBe(stride)
    expect(into.at(-1)).toBe(Math.floor((n - 1) / stride) * stride)
  })
})

describe('LayerStatsProbe around real training steps', () => {
  it('measures the SGD update: ‖ΔW‖/‖W‖ = lr·‖dW‖/‖W_before‖, and ReLU units dead on the batch', () => {
    const t = new Trainer({ ...BOOK_TRAINING, network: { ...BOOK_TRAINING.network, hiddenSizes: [30, 20] }, seed: 4 }, mnist)
    for (let i = 0; i < 20; i++) t.step()
    const probe = new LayerStatsProbe(() => 0)
    const before = t.net.affines.map((a) => a.W.data.slice())
    probe.before(t.net)
    t.step()
    const sample = probe.after(t.net, t.iterations - 1)
    expect(sample.iter).toBe(20)
    expect(sample.layers.map((l) => l.name)).toEqual(['W1', 'W2', 'W3'])
    sample.layers.forEach((l, k) => {
      const a = t.net.affines[k]
      expect(l.gradNorm).toBeCloseTo(norm(a.dW.data), 12)
      expect(l.updateRatio).toBeCloseTo((BOOK_TRAINING.lr * norm(a.dW.data)) / norm(before[k]), 10)
      expect(l.norm).toBeCloseTo(norm(a.W.data), 12)
      expect(l.histogram.reduce((s, c) => s + c, 0)).toBe(a.W.data.length)
    })
    expect(sample.layers[2].deadFraction).toBeNull()
    for (const l of sample.layers.slice(0, 2)) expect(l.deadFraction).toBeGreaterThanOrEqual(0)
  })

  it('gives no dead fraction with sigmoid', () => {
    const t = new Trainer({ ...BOOK_TRAINING, network: { ...BOOK_TRAINING.network, activation: 'sigmoid' } }, mnist)
    const probe = new LayerStatsProbe(() => 0)
    probe.before(t.net)
    t.step()
    expect(probe.after(t.net, 0).layers.map((l) => l.deadFraction)).toEqual([null, null])
  })

  it('is due for the first step, then once LAYER_STATS_MS have passed', () => {
    let now = 1000
    const t = new Trainer(BOOK_TRAINING, mnist)
    const probe = new LayerStatsProbe(() => now)
    expect(probe.due()).toBe(true)
    probe.before(t.net)
    t.step()
    probe.after(t.net, 0)
    expect(probe.due()).toBe(false)
    now += LAYER_STATS_MS - 1
    expect(probe.due()).toBe(false)
    now += 1
    expect(probe.due()).toBe(true)
  })

  it('waits longer after a costly sample, so sampling takes at most 2% of the time', () => {
    // every reading of this clock costs 10 ms: before and after each take 10 ms, 20 ms in all
    let now = 0
    const t = new Trainer(BOOK_TRAINING, mnist)
    const probe = new LayerStatsProbe(() => (now += 10))
    probe.before(t.net)
    t.step()
    probe.after(t.net, 0)
    const end = now
    now = end + 50 * 20 - 20
    expect(probe.due()).toBe(false)
    now = end + 50 * 20 - 10
    expect(probe.due()).toBe(true)
  })
})
