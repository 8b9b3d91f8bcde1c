import { t } from '../i18n'
import type { LayerStats, LayerStatsSample } from '../../../shared/ipc'
import { formatValue } from './format'
import { PALETTES, type ColorScheme } from './palette'

export type StatMetric = 'norm' | 'gradNorm' | 'updateRatio' | 'deadFraction' | 'mean' | 'std' | 'min' | 'max'

/** The metrics the chart can show; statMetricLabel names them in the current language. */
export const STAT_METRICS: { id: StatMetric; log?: boolean }[] = [
  { id: 'updateRatio', log: true },
  { id: 'norm' },
  { id: 'gradNorm', log: true },
  { id: 'deadFraction' },
  { id: 'std' },
  { id: 'mean' },
  { id: 'min' },
  { id: 'max' },
]

export function statMetricLabel(id: StatMetric): string {
  return t(`statMetric.${id}`)
}

/** One colour per layer: the palette's series colours, then a few more. */
export function layerColours(scheme: ColorScheme): string[] {
  const p = PALETTES[scheme]
  return [p.loss, p.test, p.train, '#ae3ec9', '#1098ad', '#f08c00', '#e64980', '#5c940d', '#868e96']
}

/** One line per layer of `metric` over the run's iterations. */
export function layerStatsOption(samples: readonly LayerStatsSample[], metric: StatMetric, scheme: ColorScheme) {
  const spec = STAT_METRICS.find((m) => m.id === metric) ?? STAT_METRICS[0]
  const names = samples[0]?.layers.map((l) => l.name) ?? []
  const colours = layerColours(scheme)
  const value = (l: LayerStats | undefined) => {
    const v = l?.[metric]
    // a log axis cannot show 0; neither can anything absent
    return v === null || v === undefined || (spec.log && !(v > 0)) ? null : v
  }
  return {
    animation: false,
    grid: { left: 56, right: 16, top: 30, bottom: 34 },
    legend: { top: 4, left: 52, itemWidth: 14, itemHeight: 3, data: names },
    tooltip: { trigger: 'axis' as const, valueFormatter: (v: unknown) => (typeof v === 'number' ? formatValue(v) : '–') },
    xAxis: { type: 'value' as const, name: t('charts.iteration'), nameLocation: 'middle' as const, nameGap: 22, min: 'dataMin' as const, max: 'dataMax' as const, splitLine: { show: false } },
    yAxis: spec.log
      ? { type: 'log' as const, axisLabel: { formatter: (v: number) => v.toExponential(0) } }
      : { type: 'value' as const, scale: metric !== 'deadFraction', ...(metric === 'deadFraction' ? { min: 0, max: 1 } : {}) },
    series: names.map((name, k) => ({
      type: 'line' as const, name, showSymbol: samples.length < 3, emphasis: { disabled: true },
      lineStyle: { width: 1.5, color: colours[k % colours.length] }, itemStyle: { color: colours[k % colours.length] },
      data: samples.map((s) => [s.iter, value(s.layers[k])]),
    })),
  }
}

/** Histograms shown in the ridge plot: evenly spread over the run, the newest always among them. */
export function ridgeSamples<T>(samples: readonly T[], count: number): T[] {
  if (samples.length <= count) return [...samples]
  const picked: T[] = []
  for (let k = 0; k < count; k++) picked.push(samples[Math.round((k * (samples.length - 1)) / (count - 1))])
  return picked
}

/**
 * TensorBoard's offset histograms: one layer's weight histogram at several iterations, each a
 * line raised by its age (oldest at the top, newest at the bottom, drawn strongest). Heights are
 * densities (count / (entries · bin width)), scaled together, so the shapes compare.
 */
export function weightHistogramOption(samples: readonly LayerStatsSample[], layer: number, scheme: ColorScheme, count = 10) {
  const p = PALETTES[scheme]
  const shown = ridgeSamples(samples.filter((s) => s.layers[layer]), count)
  const curves = shown.map((s) => {
    const l = s.layers[layer], bins = l.histogram.length, width = (l.max - l.min) / bins || 1
    const n = l.histogram.reduce((a, b) => a + b, 0) || 1
    return { iter: s.iter, points: l.histogram.map((c, b) => [l.min + (b + 0.5) * width, c / (n * width)] as [number, number]) }
  })
  const peak = Math.max(1e-300, ...curves.flatMap((c) => c.points.map((q) => q[1])))
  const rise = 1 / Math.max(1, curves.length) // vertical offset between consecutive ridges, in plot units
  return {
    animation: false,
    grid: { left: 16, right: 60, top: 10, bottom: 34 },
    tooltip: { trigger: 'item' as const, formatter: (x: { seriesName: string }) => x.seriesName },
    xAxis: { type: 'value' as const, name: t('charts.weight'), nameLocation: 'middle' as const, nameGap: 22, scale: true, splitLine: { show: false } },
    yAxis: { type: 'value' as const, show: false, min: 0, max: 1 + 2.5 * rise },
    series: curves.map((c, k) => {
      const base = (curves.length - 1 - k) * rise
      const strength = 0.25 + (0.75 * (k + 1)) / curves.length
      return {
        type: 'line' as const, name: t('charts.iterN', { n: c.iter }), showSymbol: false, smooth: 0.2, z: 2 + k,
        lineStyle: { width: k === curves.length - 1 ? 2 : 1, color: p.loss, opacity: strength },
        endLabel: k === 0 || k === curves.length - 1 ? { show: true, formatter: String(c.iter), color: p.muted, fontSize: 10 } : undefined,
        data: c.points.map(([x, d]) => [x, base + (2.5 * rise * d) / peak]),
      }
    }),
  }
}
