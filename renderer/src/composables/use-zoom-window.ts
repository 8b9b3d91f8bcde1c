import { watch, type Ref } from 'vue'
import type { ECharts } from 'echarts/core'
import type { ZoomWindow } from '../lib/loss-chart-option'

/**
 * Keeps `view` on the x range a chart's first dataZoom shows, in percent, as the user zooms,
 * pans or resets: for a chart that draws only the rows in view (and builds its first option,
 * from the whole range, before the chart exists).
 */
export function useZoomWindow(chart: Ref<ECharts | null>, view: Ref<ZoomWindow>): void {
  const read = (c: ECharts) => {
    const zoom = (c.getOption() as { dataZoom?: { start?: number; end?: number }[] }).dataZoom?.[0]
    const next = { start: zoom?.start ?? 0, end: zoom?.end ?? 100 }
    if (next.start !== view.value.start || next.end !== view.value.end) view.value = next
  }
  watch(chart, (c) => {
    if (!c) return
    // a chart created afresh (a new colour scheme) starts unzoomed
    if (view.value.start !== 0 || view.value.end !== 100) view.value = { start: 0, end: 100 }
    c.on('datazoom', () => read(c))
    c.on('restore', () => { view.value = { start: 0, end: 100 } })
  }, { immediate: true })
}
