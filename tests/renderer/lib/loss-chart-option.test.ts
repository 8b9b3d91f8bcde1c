import { describe, expect, it } from 'vitest'
import { LOSS_POINTS, lossChartOption, lossChartWarmup, lossTooltip } from '../../../renderer/src/lib/loss-chart-option'
import { accuracyChartOption, accuracyChartWarmup } from '../../../renderer/src/lib/accuracy-chart-option'

describe('lossChartOption', () => {
  it('draws raw and smoothed loss from one dataset, with LTTB sampling and no animation', () => {
    const o = lossChartOption(Float64Array.from([2.3, 2.1, 1.9]), Float64Array.from([2.3, 2.2, 2.1]), 100, 'light')
    expect(o.animation).toBe(false)
    expect(o.dataset.source).toEqual({ iter: [101, 102, 103], raw: [2.3, 2.1, 1.9], smooth: [2.3, 2.2, 2.1] })
    expect(o.series.map((s) => [s.encode.y, s.sampling])).toEqual([['raw', 'lttb'], ['smooth', 'lttb']])
    expect(o.dataZoom.map((z) => z.type)).toEqual(['inside', 'slider'])
    expect(o.toolbox.feature.saveAsImage.name).toBe('loss')
    expect([o.xAxis.min, o.xAxis.max]).toEqual([101, 103])
  })

  it('hands ECharts at most maxPoints rows of the iterations in view, the same rows of both columns', () => {
    const n = 100_000
    const raw = Float64Array.from({ length: n }, (_, i) => 2 / (1 + i / 1000) + (i % 7) / 100)
    const smooth = Float64Array.from(raw, (v) => v / 2)
    raw[54_321] = 9
    const whole = lossChartOption(raw, smooth, 0, 'light', { start: 0, end: 100 }, 1000)
    const src = whole.dataset.source
    expect(src.iter).toHaveLength(1000)
    expect([src.iter[0], src.iter[999]]).toEqual([1, n])
    expect(src.raw[src.iter.indexOf(54_322)]).toBe(9)
    src.iter.forEach((it, k) => expect([src.raw[k], src.smooth[k]]).toEqual([raw[it - 1], smooth[it - 1]]))
    // the axis spans the whole run whatever is in view, so dataZoom's percentages keep their meaning
    const zoomed = lossChartOption(raw, smooth, 0, 'light', { start: 50, end: 60 }, 1000)
    expect([zoomed.xAxis.min, zoomed.xAxis.max]).toEqual([1, n])
    const it = zoomed.dataset.source.iter
    expect(it.length).toBe(1000)
    expect(it[0]).toBeLessThanOrEqual(50_000)
    expect(it[it.length - 1]).toBeGreaterThanOrEqual(60_000)
    expect(it[it.length - 1]).toBeLessThan(60_010)
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

describe('the warm-up options', () => {
  it('have data enough to run what a live redraw runs: LTTB down to LOSS_POINTS, symbols on the accuracy lines', () => {
    const loss = lossChartWarmup('dark', 0.9)
    expect(loss.dataset.source.iter).toHaveLength(LOSS_POINTS)
    expect(loss.dataset.source.raw.every((v) => Number.isFinite(v) && v > 0)).toBe(true)
    expect(loss.dataset.source.smooth.every((v) => Number.isFinite(v) && v > 0)).toBe(true)
    const acc = accuracyChartWarmup('light')
    expect(acc.series.map((s) => s.data.length)).toEqual([20, 20])
  })
})
