import type { ColorScheme } from './palette'
import { PALETTES } from './palette'
import { formatValue } from './format'
import { lttbIndices } from './lttb'
import { debiasedEma } from './ema'
import { t } from '../i18n'

interface TooltipItem {
  seriesName: string
  marker: string
  /** The dataset row: [iter, raw, smooth]. */
  value: number[]
  encode: { y: number[] }
}

/** "iteration 967", then each series' value at that iteration. */
export function lossTooltip(params: unknown): string {
  const items = (Array.isArray(params) ? params : [params]) as TooltipItem[]
  if (!items.length) return ''
  const lines = items.map((p) => `${p.marker}${p.seriesName}&nbsp;&nbsp;<b>${formatValue(p.value[p.encode.y[0]])}</b>`)
  return [t('charts.iterN', { n: items[0].value[0] }), ...lines].join('<br>')
}

/** Rows of the loss chart's dataset at most: about one per pixel of its plot at a common width. */
export const LOSS_POINTS = 1000

/** The part of the x axis in view, in percent of the whole run (ECharts' dataZoom start/end). */
export interface ZoomWindow {
  start: number
  end: number
}

/**
 * The loss chart: each mini-batch loss drawn faintly, its smoothed curve on top. Columns go
 * in a dataset so the series share one x column. At most `maxPoints` rows of the iterations in
 * view go to ECharts, chosen by LTTB over the raw losses: handing it all 10⁵ rows costs
 * ECharts over 50 ms per redraw, while the picture at chart width is the same. The axis spans
 * the whole run, so zooming works in percent as before; the raw series stays whole in the store
 * (and in saved models).
 */
export function lossChartOption(raw: Float64Array, smooth: Float64Array, offset: number, scheme: ColorScheme, view: ZoomWindow = { start: 0, end: 100 }, maxPoints = LOSS_POINTS) {
  const p = PALETTES[scheme]
  const n = raw.length
  // one row past each edge of the window, so the lines run to the chart's edges
  const lo = Math.max(0, Math.floor((view.start / 100) * (n - 1)) - 1)
  const hi = Math.min(n, Math.ceil((view.end / 100) * (n - 1)) + 2)
  const rows = lttbIndices(raw, lo, hi, maxPoints)
  const m = rows.length
  const iter = new Array<number>(m), rawCol = new Array<number>(m), smoothCol = new Array<number>(m)
  for (let k = 0; k < m; k++) {
    const i = rows[k]
    iter[k] = offset + i + 1
    rawCol[k] = raw[i]
    smoothCol[k] = smooth[i]
  }
  return {
    animation: false,
    grid: { left: 48, right: 24, top: 36, bottom: 76 },
    tooltip: { trigger: 'axis' as const, axisPointer: { type: 'line' as const }, formatter: lossTooltip },
    legend: { top: 6, left: 44, itemWidth: 16, itemHeight: 3, data: [t('charts.miniBatchLoss'), t('charts.smoothed')] },
    toolbox: {
      top: 0, right: 6,
      feature: {
        dataZoom: { yAxisIndex: 'none' as const, title: { zoom: t('chartZoom.zoom'), back: t('chartZoom.back') } },
        restore: { title: t('chartZoom.reset') },
        saveAsImage: { title: t('charts.savePng'), name: 'loss', pixelRatio: 2, backgroundColor: p.surface },
      },
    },
    dataZoom: [
      { type: 'inside' as const, xAxisIndex: 0, filterMode: 'none' as const },
      // no data shadow in the slider: it redraws every point on each update, 60 % of the cost at 10⁴ points
      { type: 'slider' as const, xAxisIndex: 0, height: 16, bottom: 8, filterMode: 'none' as const, showDetail: false, showDataShadow: false },
    ],
    xAxis: { type: 'value' as const, name: t('charts.iteration'), nameLocation: 'middle' as const, nameGap: 24, min: n ? offset + 1 : 'dataMin' as const, max: n ? offset + n : 'dataMax' as const, splitLine: { show: false } },
    yAxis: { type: 'value' as const, min: 0 },
    dataset: { dimensions: ['iter', 'raw', 'smooth'], source: { iter, raw: rawCol, smooth: smoothCol } },
    series: [
      {
        type: 'line' as const, name: t('charts.miniBatchLoss'), encode: { x: 'iter', y: 'raw' },
        showSymbol: false, sampling: 'lttb' as const, emphasis: { disabled: true }, z: 1,
        lineStyle: { width: 1, color: p.lossRaw }, itemStyle: { color: p.lossRaw },
      },
      {
        type: 'line' as const, name: t('charts.smoothed'), encode: { x: 'iter', y: 'smooth' },
        showSymbol: false, sampling: 'lttb' as const, z: 2,
        lineStyle: { width: 2, color: p.loss }, itemStyle: { color: p.loss },
      },
    ],
  }
}

/**
 * A made-up run's loss chart (3000 losses falling from 2.3, so LTTB picks LOSS_POINTS of them), for
 * useECharts' warm-up draw: drawing it once when the chart is created runs the code a live
 * redraw runs, so a run's first redraws do not run it cold.
 */
export function lossChartWarmup(scheme: ColorScheme, beta: number) {
  const n = 3000, raw = new Float64Array(n)
  for (let i = 0; i < n; i++) raw[i] = 2.3 * Math.exp(-i / 500) + 0.1 * (1 + Math.sin(i))
  return lossChartOption(raw, debiasedEma(raw, beta), 0, scheme)
}
