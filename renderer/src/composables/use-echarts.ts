import { effect, onMounted, onScopeDispose, shallowRef, stop, watch, type Ref } from 'vue'
import * as echarts from 'echarts/core'
import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts'
import {
  DataZoomComponent, DatasetComponent, GridComponent, LegendComponent, ToolboxComponent, TooltipComponent,
  type DataZoomComponentOption, type DatasetComponentOption, type GridComponentOption, type LegendComponentOption,
  type ToolboxComponentOption, type TooltipComponentOption,
} from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'
import { CHART_THEME_NAME, chartTheme } from '../lib/chart-theme'
import type { ColorScheme } from '../lib/palette'
import { useFrame } from './use-frame'

// Only the parts the charts use, to keep the bundle small.
echarts.use([LineChart, BarChart, DatasetComponent, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, ToolboxComponent, CanvasRenderer])
echarts.registerTheme(CHART_THEME_NAME.light, chartTheme('light'))
echarts.registerTheme(CHART_THEME_NAME.dark, chartTheme('dark'))

export type ChartOption = echarts.ComposeOption<
  | LineSeriesOption | BarSeriesOption | DatasetComponentOption | GridComponentOption | TooltipComponentOption | LegendComponentOption
  | DataZoomComponentOption | ToolboxComponentOption
>

/**
 * Hands column arrays to ECharts as they are: setOption deep-copies plain arrays otherwise,
 * 10⁵ numbers per column per update. Safe because each option gets fresh arrays.
 */
export function shareColumns(columns: Record<string, unknown[]>): void {
  for (const column of Object.values(columns)) echarts.zrUtil.setAsPrimitive(column)
}

/**
 * A redraw may use at most 1/BUDGET of the main thread: after one that took t ms, the next
 * waits BUDGET·t ms (at most MAX_WAIT_MS), so a chart of 10⁵ points never starves input.
 */
const BUDGET = 4
const MAX_WAIT_MS = 1000
/**
 * And at most 2 a second: beyond the redraw's own task, each one makes the browser composite the
 * chart's canvas anew for the frames after it, work that competes with training for the cores,
 * and leaves close to 1 MB of ECharts' garbage, however few the points; its collections, on a busy
 * machine, were what still made a task of the page long in the middle of a run.
 */
const MIN_INTERVAL_MS = 500

/**
 * An ECharts instance bound to an element: created on mount, given the option in a task of its
 * own after changes (many changes, one redraw, paced by the cost of the last),
 * re-created when the colour scheme changes, resized with its element, disposed with the scope.
 *
 * `warmup`, for charts that stream: an option with data like a live one's, drawn once when the
 * chart is created and replaced by the real option in the same task, so nothing of it shows. V8
 * compiles a function when it first runs, and ECharts' line-drawing code first ran at a run's
 * first redraws, while training and the first evaluation were starting on both cores; those
 * redraws took several times their usual time then. Created at mount, the chart pays that here.
 */
export function useECharts(el: Ref<HTMLElement | null>, option: Ref<ChartOption>, theme: Ref<ColorScheme>, warmup?: () => ChartOption) {
  const chart = shallowRef<echarts.ECharts | null>(null)
  /** The option the chart last drew. */
  const applied = shallowRef<ChartOption | null>(null)
  let fresh = true
  let lastCost = 0
  let lastEnd = 0
  let timer: ReturnType<typeof setTimeout> | null = null

  const create = () => {
    if (!el.value) return
    chart.value?.dispose()
    chart.value = echarts.init(el.value, CHART_THEME_NAME[theme.value], { renderer: 'canvas' })
    // Each redraw is flushed in its own task (apply), so zrender's frame loop, which otherwise
    // runs 10 empty frames after every change, finds nothing to draw: let it sleep after one.
    chart.value.getZr().setSleepAfterStill(1)
    if (warmup) {
      chart.value.setOption(warmup(), { notMerge: true, lazyUpdate: false })
      chart.value.getZr().flush()
    }
    fresh = true
    apply()
  }
  // The option is computed only when a redraw is due, not on every change of what it reads.
  const read = effect(() => option.value, { scheduler: () => scheduleApply() })
  const apply = () => {
    if (!chart.value) return
    const t0 = performance.now()
    // The first option replaces everything; later ones merge, which keeps the zoom window.
    const next = read()
    chart.value.setOption(next, { notMerge: fresh, lazyUpdate: false })
    chart.value.getZr().flush()
    fresh = false
    lastEnd = performance.now()
    lastCost = lastEnd - t0
    applied.value = next
  }
  // Each redraw runs in its own timer task, not an animation frame: the callbacks of one frame
  // run as one task, so two charts redrawn in the same frame made one long task of both.
  const scheduleApply = () => {
    if (timer !== null) return
    const wait = Math.min(MAX_WAIT_MS, Math.max(0, lastEnd + Math.max(BUDGET * lastCost, MIN_INTERVAL_MS) - performance.now()))
    timer = setTimeout(() => { timer = null; apply() }, wait)
  }
  const scheduleResize = useFrame(() => chart.value?.resize())

  let observer: ResizeObserver | null = null
  onMounted(() => {
    create()
    if (el.value && typeof ResizeObserver === 'function') {
      observer = new ResizeObserver(scheduleResize)
      observer.observe(el.value)
    }
  })
  watch(theme, create)
  onScopeDispose(() => {
    stop(read)
    if (timer !== null) clearTimeout(timer)
    observer?.disconnect()
    chart.value?.dispose()
    chart.value = null
  })
  return { chart, applied }
}
