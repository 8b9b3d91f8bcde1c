import { PALETTES, type ColorScheme } from './palette'

export const CHART_THEME_NAME: Record<ColorScheme, string> = { light: 'studio-light', dark: 'studio-dark' }

/** An ECharts theme object built from the app palette, so charts match the surrounding UI. */
export function chartTheme(scheme: ColorScheme): Record<string, unknown> {
  const p = PALETTES[scheme]
  const axis = {
    axisLine: { lineStyle: { color: p.axis } },
    axisTick: { lineStyle: { color: p.axis } },
    axisLabel: { color: p.muted },
    splitLine: { lineStyle: { color: p.grid } },
    nameTextStyle: { color: p.muted },
  }
  return {
    color: [p.loss, p.train, p.test],
    backgroundColor: 'transparent',
    textStyle: { color: p.text, fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
    valueAxis: axis,
    categoryAxis: axis,
    legend: { textStyle: { color: p.text } },
    tooltip: {
      backgroundColor: p.surface,
      borderColor: p.axis,
      textStyle: { color: p.text },
      axisPointer: { lineStyle: { color: p.axis }, crossStyle: { color: p.axis } },
    },
    toolbox: { iconStyle: { borderColor: p.muted }, emphasis: { iconStyle: { borderColor: p.loss } } },
    dataZoom: {
      borderColor: p.axis,
      textStyle: { color: p.muted },
      fillerColor: scheme === 'dark' ? 'rgba(140,158,255,0.15)' : 'rgba(76,110,245,0.12)',
      handleStyle: { color: p.surface, borderColor: p.axis },
      dataBackground: { lineStyle: { color: p.axis }, areaStyle: { color: p.grid } },
      selectedDataBackground: { lineStyle: { color: p.loss }, areaStyle: { color: p.lossRaw } },
      moveHandleStyle: { color: p.axis },
    },
  }
}
