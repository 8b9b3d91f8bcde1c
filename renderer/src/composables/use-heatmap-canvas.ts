import { computed, onMounted, ref, watch, type Ref } from 'vue'
import { elementAt, heatmapLayout, heatmapPixels } from '../lib/diff-heatmap'

/**
 * Draws one tensor's |Δ| per element onto `canvas` (one canvas pixel per element, scaled up
 * by CSS), redrawn when the data changes; `hovered` is the element under the pointer, or -1.
 */
export function useHeatmapCanvas(canvas: Ref<HTMLCanvasElement | null>, source: () => { shape: readonly number[]; absDiff?: Float64Array; image?: readonly [number, number] }) {
  const layout = computed(() => {
    const s = source()
    return heatmapLayout(s.shape, s.image)
  })
  const hovered = ref(-1)

  const draw = () => {
    const absDiff = source().absDiff
    const ctx = canvas.value?.getContext('2d')
    if (!absDiff || !ctx || typeof ImageData === 'undefined') return
    const l = layout.value
    ctx.clearRect(0, 0, l.width, l.height)
    ctx.putImageData(new ImageData(heatmapPixels(absDiff, l), l.width, l.height), 0, 0)
  }
  onMounted(draw)
  watch(() => [source().absDiff, layout.value], draw, { flush: 'post' })

  return {
    layout,
    hovered,
    onMove(e: MouseEvent) {
      const el = canvas.value
      if (!el || !el.clientWidth || !el.clientHeight) return
      const l = layout.value
      hovered.value = elementAt(l, (e.offsetX * l.width) / el.clientWidth, (e.offsetY * l.height) / el.clientHeight)
    },
    onLeave() { hovered.value = -1 },
  }
}
