import type { EvalReport } from '../../../shared/training-events'
import { PALETTES, type ColorScheme } from './palette'
import { formatPercent } from './format'
import { t } from '../i18n'

/** Train and test accuracy against epochs, on a fixed 0…1 axis so runs compare at a glance. */
export function accuracyChartOption(evals: readonly EvalReport[], scheme: ColorScheme) {
  const p = PALETTES[scheme]
  const line = (name: string, color: string, pick: (e: EvalReport) => number) => ({
    type: 'line' as const, name, data: evals.map((e) => [e.epoch, pick(e)]),
    showSymbol: true, symbol: 'circle', symbolSize: 5,
    lineStyle: { width: 2, color }, itemStyle: { color },
  })
  return {
    animation: false,
    grid: { left: 48, right: 24, top: 36, bottom: 44 },
    tooltip: {
      trigger: 'axis' as const,
      formatter: (params: unknown) => {
        const items = (Array.isArray(params) ? params : [params]) as { seriesName: string; marker: string; value: number[]; dataIndex: number }[]
        const e = items.length ? evals[items[0].dataIndex] : undefined
        if (!e) return ''
        const lines = items.map((p) => `${p.marker}${p.seriesName}&nbsp;&nbsp;<b>${formatPercent(p.value[1])}</b>`)
        return [t('charts.epochIter', { epoch: e.epoch.toFixed(2), iter: e.iter }), ...lines].join('<br>')
      },
    },
    legend: { top: 6, left: 44, itemWidth: 16, itemHeight: 3, data: [t('charts.train'), t('charts.test')] },
    toolbox: {
      top: 0, right: 6,
      feature: { saveAsImage: { title: t('charts.savePng'), name: 'accuracy', pixelRatio: 2, backgroundColor: p.surface } },
    },
    xAxis: { type: 'value' as const, name: t('charts.epoch'), nameLocation: 'middle' as const, nameGap: 24, min: 0, max: (v: { max: number }) => Math.max(1, Math.ceil(v.max)), splitLine: { show: false } },
    yAxis: { type: 'value' as const, min: 0, max: 1, interval: 0.2, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)} %` } },
    series: [line(t('charts.train'), p.train, (e) => e.trainAcc), line(t('charts.test'), p.test, (e) => e.testAcc)],
  }
}

/** A made-up run's accuracy chart (20 evaluations), for useECharts' warm-up draw (see lossChartWarmup). */
export function accuracyChartWarmup(scheme: ColorScheme) {
  const evals = Array.from({ length: 20 }, (_, k): EvalReport => ({ iter: k * 600, epoch: k, loss: 0.3, trainAcc: 0.9 + k / 400, testAcc: 0.9 + k / 450 }))
  return accuracyChartOption(evals, scheme)
}
