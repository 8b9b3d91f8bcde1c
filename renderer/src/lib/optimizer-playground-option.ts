import type { OptimizerKind } from '../../../shared/engine/optimizer'
import { OPTIMIZER_KINDS } from '../../../shared/engine/optimizer'
import { bowl, bowlContour } from '../../../shared/lab/bowl'
import type { OptimizerPath } from '../../../shared/lab/optimizer-paths'
import { formatValue } from './format'
import { PALETTES, type ColorScheme } from './palette'
import { t } from '../i18n'

export const OPTIMIZER_LABELS: Record<OptimizerKind, string> = {
  sgd: 'SGD', momentum: 'Momentum', nesterov: 'Nesterov', adagrad: 'AdaGrad', rmsprop: 'RMSprop', adam: 'Adam',
}

/** One colour per optimiser; the book draws its paths in red, SGD keeps that. */
const COLORS: Record<ColorScheme, Record<OptimizerKind, string>> = {
  light: { sgd: '#e03131', momentum: '#4c6ef5', nesterov: '#7048e8', adagrad: '#0ca678', rmsprop: '#e67700', adam: '#c2255c' },
  dark: { sgd: '#ff6b6b', momentum: '#8c9eff', nesterov: '#b197fc', adagrad: '#38d9a9', rmsprop: '#ffc078', adam: '#f783ac' },
}

/** f = level for these levels; the start (−7, 2) lies at f = 6.45. */
const LEVELS = [0.25, 0.5, 1, 2, 3, 4, 5, 6, 7]
/** The x range of the book's figure; y spans half of it so the zigzag across the valley shows. */
const X_RANGE = 10, Y_RANGE = 5

/** The points up to the first non-finite one: a diverging path ends where its numbers do. */
function finitePrefix(path: OptimizerPath): [number, number][] {
  const out: [number, number][] = []
  for (let i = 0; i < path.x.length; i++) {
    if (!Number.isFinite(path.x[i]) || !Number.isFinite(path.y[i])) break
    out.push([path.x[i], path.y[i]])
  }
  return out
}

interface PointItem { seriesName: string; marker: string; dataIndex: number; value: [number, number] }

function pointTooltip(params: unknown): string {
  const p = params as PointItem
  const [x, y] = p.value
  return `${p.marker}${t('extra.stepOf', { name: p.seriesName, n: p.dataIndex })}<br>(${formatValue(x)}, ${formatValue(y)})&nbsp;&nbsp;f = <b>${formatValue(bowl(x, y))}</b>`
}

/**
 * The book's figure 6-8 on one plot: the contours of f(x, y) = x²/20 + y², then every optimiser's
 * path from (−7, 2), one point per update. All six series are always there (those not shown are
 * empty), so a merged setOption never leaves a stale path behind.
 */
export function optimizerPlaygroundOption(paths: { kind: OptimizerKind; path: OptimizerPath }[], scheme: ColorScheme) {
  const p = PALETTES[scheme]
  const byKind = new Map(paths.map((e) => [e.kind, e.path]))
  const contours = LEVELS.map((level) => ({
    type: 'line' as const, name: `f = ${level}`, data: bowlContour(level), showSymbol: false, silent: true,
    lineStyle: { width: 1, color: p.axis }, emphasis: { disabled: true }, z: 1,
  }))
  const optimizers = OPTIMIZER_KINDS.map((kind) => {
    const path = byKind.get(kind)
    return {
      type: 'line' as const, id: kind, name: OPTIMIZER_LABELS[kind], data: path ? finitePrefix(path) : [],
      symbol: 'circle', symbolSize: 5, lineStyle: { width: 1.5, color: COLORS[scheme][kind] },
      itemStyle: { color: COLORS[scheme][kind] }, emphasis: { focus: 'series' as const }, z: 3,
    }
  })
  const minimum = {
    type: 'line' as const, name: 'minimum', data: [[0, 0]], symbol: 'path://M4 0h2v4h4v2h-4v4h-2v-4h-4v-2h4z',
    symbolSize: 12, silent: true, itemStyle: { color: p.text }, z: 2,
  }
  return {
    animation: false,
    // six legend entries take two lines
    grid: { left: 40, right: 16, top: paths.length > 4 ? 56 : 36, bottom: 36 },
    tooltip: { trigger: 'item' as const, formatter: pointTooltip },
    legend: { top: 6, data: paths.map((e) => OPTIMIZER_LABELS[e.kind]), itemWidth: 16, itemHeight: 8 },
    xAxis: { type: 'value' as const, min: -X_RANGE, max: X_RANGE, name: 'x', nameLocation: 'middle' as const, nameGap: 22, splitLine: { show: false } },
    yAxis: { type: 'value' as const, min: -Y_RANGE, max: Y_RANGE, name: 'y', nameLocation: 'middle' as const, nameGap: 26, splitLine: { show: false } },
    series: [...contours, minimum, ...optimizers],
  }
}
