// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import LearnedView from '../../../renderer/src/components/LearnedView.vue'
import type { LayerStatsSample, LiveWeights, TrainProgress } from '../../../shared/ipc'
import { createFakeApi, settle, tinyModel } from '../fake-api'
import { mountWithStudio } from '../mount-studio'

let cleanup = () => undefined as void
afterEach(() => cleanup())

const weights = (iterations: number): LiveWeights => ({ layer: 1, iterations, inputs: 4, units: 5, data: new Float32Array(20).fill(0.5), source: 'model' })
const stats = (iter: number): LayerStatsSample => ({
  iter,
  layers: ['W1', 'W2'].map((name) => ({ name, mean: 0, std: 0.1, min: -0.3, max: 0.3, norm: 1 + iter, gradNorm: 0.2, updateRatio: 1e-3, deadFraction: name === 'W1' ? 0.2 : null, histogram: [1, 2, 1] })),
})
const progress = (layerStats: LayerStatsSample): TrainProgress => ({
  iter: layerStats.iter + 1, totalIters: 100, epoch: 0, elapsedMs: 1, etaMs: 1, itersPerSecond: 1, lossStart: 0,
  losses: new Float64Array(0), evals: [], state: 'running', layerStats,
})

/** ECharts needs a real canvas; the charts' options are tested in tests/renderer/lib. */
const CHARTS_STUBBED = { global: { stubs: { LayerStatsChart: true, WeightHistograms: true } } }

describe('LearnedView', () => {
  it('draws one tile per unit of W1 and tabulates the layer statistics as they arrive', async () => {
    const fake = createFakeApi({ currentModel: async () => tinyModel(), liveWeights: async () => weights(300) })
    const { wrapper, studio, dispose } = mountWithStudio(LearnedView, fake, CHARTS_STUBBED)
    cleanup = dispose
    await Promise.all([studio.dataset.load(), studio.model.load()])
    await settle()
    const view = wrapper.get('[data-testid="weights-view"]')
    expect(view.attributes('data-tiles')).toBe('5')
    expect(view.attributes('data-iter')).toBe('300')
    expect(fake.calls.filter((c) => c.method === 'liveWeights').map((c) => c.req)).toContainEqual({ layer: 1 })
    expect(wrapper.get('[data-testid="layer-stats"]').attributes('data-samples')).toBe('0')

    fake.emit({ type: 'train-progress', jobId: 'job-1', progress: progress(stats(0)) })
    fake.emit({ type: 'train-progress', jobId: 'job-1', progress: progress(stats(40)) })
    // an evaluation's message repeats the last sample: not counted twice
    fake.emit({ type: 'train-progress', jobId: 'job-1', progress: progress(stats(40)) })
    await settle()
    const table = wrapper.get('[data-testid="layer-stats"]')
    expect(table.attributes('data-samples')).toBe('2')
    expect(table.attributes('data-iter')).toBe('40')
    expect(table.findAll('tbody tr').map((r) => r.attributes('data-layer'))).toEqual(['W1', 'W2'])
    expect(table.get('[data-layer="W1"] [data-col="norm"]').attributes('data-value')).toBe('41')
    expect(table.get('[data-layer="W1"] [data-col="deadFraction"]').text()).toBe('20 %')
    expect(table.get('[data-layer="W2"] [data-col="deadFraction"]').text()).toBe('–')

    // another job starts its own history
    fake.emit({ type: 'train-progress', jobId: 'job-2', progress: progress(stats(0)) })
    await settle()
    expect(wrapper.get('[data-testid="layer-stats"]').attributes('data-samples')).toBe('1')
  })

  it('computes the confusion matrix when shown and lists a clicked cell\'s images, most confident first', async () => {
    const fake = createFakeApi({ currentModel: async () => tinyModel() })
    const { wrapper, studio, dispose } = mountWithStudio(LearnedView, fake, CHARTS_STUBBED)
    cleanup = dispose
    await Promise.all([studio.dataset.load(), studio.model.load()])
    await wrapper.get('[data-testid="learned-show-confusion"]').trigger('click')
    await settle()
    expect(fake.calls.filter((c) => c.method === 'confusionMatrix')).toHaveLength(1)
    const matrix = wrapper.get('[data-testid="confusion-matrix"]')
    expect(matrix.attributes('data-total')).toBe('6')
    const cells = wrapper.findAll('[data-testid^="confusion-cell-"]')
    expect(cells).toHaveLength(9)
    expect(cells.reduce((s, c) => s + Number(c.attributes('data-count')), 0)).toBe(6)
    expect(wrapper.get('[data-testid="confusion-accuracy"]').text()).toBe('33.33 %')
    // the most confidently wrong: every image labelled 1 or 2 (all predicted 0), confidence 0.8 then 0.7
    expect(wrapper.get('[data-testid="confusion-wrong"]').attributes('data-count')).toBe('4')
    expect(fake.calls.find((c) => c.method === 'datasetImages')?.req).toEqual({ split: 'test', indices: [1, 4, 2, 5] })

    await wrapper.get('[data-testid="confusion-cell-2-0"]').trigger('click')
    await settle()
    expect(fake.calls.filter((c) => c.method === 'datasetImages').at(-1)?.req).toEqual({ split: 'test', indices: [2, 5] })
    expect(fake.calls.filter((c) => c.method === 'predict').at(-1)?.req).toEqual({ indices: [2, 5] })
    const drill = wrapper.get('[data-testid="confusion-drill"]')
    expect(drill.findAll('figure').map((f) => f.attributes('data-index'))).toEqual(['2', '5'])
    expect(drill.text()).toContain('Labelled 2, predicted 0')

    // a new model makes the matrix stale: it is computed again while shown
    studio.model.model.value = tinyModel({ summary: { ...tinyModel().summary, iterations: 600 } })
    await settle()
    expect(fake.calls.filter((c) => c.method === 'confusionMatrix')).toHaveLength(2)
  })
})
