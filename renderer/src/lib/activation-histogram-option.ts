import type { LayerActivations } from '../../../shared/lab/activation-histograms'
import type { Activation } from '../../../shared/engine/network-config'
import { formatInt } from './format'
import { PALETTES, type ColorScheme } from './palette'

/**
 * The bars one layer's histogram shows. For ReLU the exact zeros (half the outputs, whatever
 * the init) leave the first bar, as the book's ylim(0, 7000) cuts them off, so what the init
 * changes stays visible; the view states the zeros apart.
 */
export function shownCounts(layer: LayerActivations, activation: Activation): number[] {
  return activation === 'relu' ? layer.counts.map((c, i) => (i === 0 ? c - layer.zeros : c)) : layer.counts
}

/**
 * A y-axis top shared by the layers, so a spread or a collapse reads the same in each: the
 * largest bar rounded up to 1, 1.5, 2, 3, 5 or 7.5 times a power of ten.
 */
export function sharedMax(layers: LayerActivations[], activation: Activation): number {
  let max = 1
  for (const l of layers) for (const c of shownCounts(l, activation)) max = Math.max(max, c)
  const pow = 10 ** Math.floor(Math.log10(max))
  const step = [1, 1.5, 2, 3, 5, 7.5, 10].find((s) => s * pow >= max) ?? 10
  return step * pow
}

interface BarItem { dataIndex: number; value: number }

/** One layer's activations in `counts.length` bins over [0, 1], as plt.hist(a.flatten(), 30, range=(0, 1)). */
export function activationHistogramOption(counts: number[], yMax: number, scheme: ColorScheme) {
  const p = PALETTES[scheme]
  const bins = counts.length
  const centers = counts.map((_, i) => ((i + 0.5) / bins).toFixed(3))
  return {
    animation: false,
    grid: { left: 36, right: 8, top: 8, bottom: 22 },
    tooltip: {
      trigger: 'item' as const,
      formatter: (item: unknown) => {
        const { dataIndex, value } = item as BarItem
        return `[${(dataIndex / bins).toFixed(2)}, ${((dataIndex + 1) / bins).toFixed(2)}): <b>${formatInt(value)}</b>`
      },
    },
    xAxis: {
      type: 'category' as const, data: centers,
      axisLabel: { interval: (i: number) => i === 0 || i === bins - 1 || i === Math.floor(bins / 2), formatter: (_: string, i: number) => (i === 0 ? '0' : i === bins - 1 ? '1' : '0.5') },
      axisTick: { show: false },
    },
    yAxis: { type: 'value' as const, min: 0, max: yMax, axisLabel: { formatter: (v: number) => (v >= 1000 ? `${v / 1000}k` : String(v)) } },
    series: [{ type: 'bar' as const, data: counts, barCategoryGap: '8%', itemStyle: { color: p.loss }, emphasis: { disabled: true } }],
  }
}
