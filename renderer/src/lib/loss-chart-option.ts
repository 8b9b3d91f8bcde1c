import type { ColorScheme } from './palette'
import { PALETTES } from './palette'
import { formatValue } from './format'

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
  return [`iteration ${items[0].value[0]}`, ...lines].join('<br>')
}

/**
 * The loss chart: each mini-batch loss drawn faintly, its smoothed curve on top. Columns go
 * in a dataset so the series share one x column; LTTB sampling keeps 10⁵ points fluid.
 */
export function lossChartOption(raw: Float64Array, smooth: Float64Array, offset: number, scheme: ColorScheme) {
  const p = PALETTES[scheme]
  const n = raw.length
  const iter = new Array<number>(n)
  for (let i = 0; i < n; i++) iter[i] = offset + i + 1
  return {
    animation: false,
    grid: { left: 48, right: 24, top: 36, bottom: 76 },
    tooltip: { trigger: 'axis' as const, axisPointer: { type: 'line' as const }, formatter: lossTooltip },
    legend: { top: 6, left: 44, itemWidth: 16, itemHeight: 3, data: ['mini-batch loss', 'smoothed'] },
    toolbox: {
      top: 0, right: 6,
      feature: {
        dataZoom: { yAxisIndex: 'none' as const, title: { zoom: 'Zoom to a range', back: 'Undo zoom' } },
        restore: { title: 'Reset zoom' },
        saveAsImage: { title: 'Save as PNG', name: 'loss', pixelRatio: 2, backgroundColor: p.surface },
      },
    },
    dataZoom: [
      { type: 'inside' as const, xAxisIndex: 0, filterMode: 'none' as const },
      // no data shadow in the slider: it redraws every point on each update, 60 % of the cost at 10⁴ points
      { type: 'slider' as const, xAxisIndex: 0, height: 16, bottom: 8, filterMode: 'none' as const, showDetail: false, showDataShadow: false },
    ],
    xAxis: { type: 'value' as const, name: 'iteration', nameLocation: 'middle' as const, nameGap: 24, min: 'dataMin' as const, max: 'dataMax' as const, splitLine: { show: false } },
    yAxis: { type: 'value' as const, min: 0 },
    dataset: { dimensions: ['iter', 'raw', 'smooth'], source: { iter, raw: Array.from(raw), smooth: Array.from(smooth) } },
    series: [
      {
        type: 'line' as const, name: 'mini-batch loss', encode: { x: 'iter', y: 'raw' },
        showSymbol: false, sampling: 'lttb' as const, emphasis: { disabled: true }, z: 1,
        lineStyle: { width: 1, color: p.lossRaw }, itemStyle: { color: p.lossRaw },
      },
      {
        type: 'line' as const, name: 'smoothed', encode: { x: 'iter', y: 'smooth' },
        showSymbol: false, sampling: 'lttb' as const, z: 2,
        lineStyle: { width: 2, color: p.loss }, itemStyle: { color: p.loss },
      },
    ],
  }
}
