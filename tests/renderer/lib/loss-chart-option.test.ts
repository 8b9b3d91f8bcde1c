import { describe, expect, it } from 'vitest'
import { lossChartOption, lossTooltip } from '../../../renderer/src/lib/loss-chart-option'
import { accuracyChartOption } from '../../../renderer/src/lib/accuracy-chart-option'

describe('lossChartOption', () => {
  it('draws raw and smoothed loss from one dataset, with LTTB sampling and no animation', () => {
    const o = lossChartOption(Float64Array.from([2.3, 2.1, 1.9]), Float64Array.from([2.3, 2.2, 2.1]), 100, 'light')
    expect(o.animation).toBe(false)
    expect(o.dataset.source).toEqual({ iter: [101, 102, 103], raw: [2.3, 2.1, 1.9], smooth: [2.3, 2.2, 2.1] })
    expect(o.series.map((s) => [s.encode.y, s.sampling])).toEqual([['raw', 'lttb'], ['smooth', 'lttb']])
    expect(o.dataZoom.map((z) => z.type)).toEqual(['inside', 'slider'])
    expect(o.toolbox.feature.saveAsImage.name).toBe('loss')
  })
})

describe('lossTooltip', () => {
  it('names the iteration and gives each series its own column of the row', () => {
    const row = [967, 0.31234, 0.30261]
    const html = lossTooltip([
      { seriesName: 'mini-batch loss', marker: '•', value: row, encode: { y: [1] } },
      { seriesName: 'smoothed', marker: '•', value: row, encode: { y: [2] } },
    ])
    expect(html).toBe('iteration 967<br>•mini-batch loss&nbsp;&nbsp;<b>0.3123</b><br>•smoothed&nbsp;&nbsp;<b>0.3026</b>')
  })
})

describe('accuracyChartOption', () => {
  it('plots train and test accuracy against epochs on a 0…1 axis', () => {
    const o = accuracyChartOption([{ iter: 0, epoch: 0.01, loss: 2.3, trainAcc: 0.1, testAcc: 0.12 }, { iter: 599, epoch: 1, loss: 0.3, trainAcc: 0.9, testAcc: 0.91 }], 'dark')
    expect(o.yAxis).toMatchObject({ min: 0, max: 1 })
    expect(o.series.map((s) => [s.name, s.data])).toEqual([['train', [[0.01, 0.1], [1, 0.9]]], ['test', [[0.01, 0.12], [1, 0.91]]]])
  })
})
