import * as echarts from 'echarts/core'
import { SVGRenderer } from 'echarts/renderers'
import type { BackpropApi } from '../../../shared/ipc'
import { CHART_THEME_NAME } from '../lib/chart-theme'
import { PALETTES, type ColorScheme } from '../lib/palette'
import { dataUrlBlob, downloadFile } from '../lib/save-file'
import type { ChartOption } from './use-echarts'
import type { Notifier } from './use-notifier'
import { t } from '../i18n'

echarts.use([SVGRenderer])

/**
 * Saves a chart as PNG (the drawn canvas at twice its size) or SVG (the same option rendered
 * again by ECharts' SVG renderer). Electron asks where through the back end's save dialog;
 * the browser downloads the file.
 */
export function useChartExport(api: BackpropApi, notifier: Notifier) {
  return async function exportChart(chart: echarts.ECharts | null, option: ChartOption | null, kind: 'png' | 'svg', baseName: string, scheme: ColorScheme) {
    if (!chart || !option) return
    const fileName = `${baseName}.${kind}`
    try {
      let data: string
      if (kind === 'png') {
        data = chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: PALETTES[scheme].surface })
      } else {
        const svg = echarts.init(null, CHART_THEME_NAME[scheme], { renderer: 'svg', ssr: true, width: chart.getWidth(), height: chart.getHeight() })
        svg.setOption({ ...option, backgroundColor: PALETTES[scheme].surface })
        data = svg.renderToSVGString()
        svg.dispose()
      }
      if (api.nativeDialogs) {
        const saved = await api.saveExport({ kind, fileName, data, path: null })
        if (saved) notifier.info(t('notify.chartSaved'), saved.path)
      } else {
        downloadFile(fileName, kind === 'png' ? dataUrlBlob(data) : data, 'image/svg+xml')
      }
    } catch (e) {
      notifier.error(e, t('notify.exportingChart', { kind: kind.toUpperCase() }))
    }
  }
}
