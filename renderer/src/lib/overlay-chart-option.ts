import type { ChartOption } from '../composables/use-echarts'
import { t } from '../i18n'
import { PALETTES, type ColorScheme } from './palette'

export interface OverlayCurve {
  name: string
  /** [x, y] pairs. */
  points: [number, number][]
  dashed?: boolean
}

/**
 * Several runs' curves on one chart, e.g. their losses or accuracies. Long curves are
 * thinned by ECharts itself with LTTB ('sampling'), which keeps peaks a plain stride would drop.
 */
export function overlayChartOption(curves: readonly OverlayCurve[], scheme: ColorScheme, yName: string, xName = t('charts.iteration')): ChartOption {
  const p = PALETTES[scheme]
  return {
    animation: false,
    grid: { left: 52, right: 20, top: 52, bottom: 40 },
    tooltip: { trigger: 'axis' },
    legend: { top: 4, type: 'scroll', textStyle: { color: p.text } },
    xAxis: { type: 'value', name: xName, nameLocation: 'middle', nameGap: 26, min: 'dataMin', max: 'dataMax' },
    yAxis: { type: 'value', name: yName, scale: true },
    series: curves.map((c) => ({
      type: 'line' as const,
      name: c.name,
      data: c.points,
      showSymbol: false,
      sampling: 'lttb' as const,
      lineStyle: { width: 1.5, type: c.dashed ? ('dashed' as const) : ('solid' as const) },
    })),
  }
}
