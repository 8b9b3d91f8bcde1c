import { onScopeDispose, type Ref } from 'vue'
import { useFrame } from './use-frame'

/** The pad's pixels per side; the brush is thick enough that a stroke scaled into 20×20 is about 2 pixels wide, as MNIST's are. */
export const PAD_SIZE = 280
export const BRUSH_WIDTH = 22

/**
 * Drawing on a canvas with a mouse, pen or finger (Pointer Events). While a stroke goes on, and
 * once more when it ends, `onInk` receives the pad's ink in [0, 1] per pixel (its alpha): at most
 * once per animation frame. Call `clear` to wipe the pad.
 */
export function useDrawPad(canvas: Ref<HTMLCanvasElement | null>, onInk: (ink: Float32Array, width: number, height: number) => void) {
  let drawing: number | null = null
  let last: { x: number; y: number } | null = null

  const context = () => canvas.value?.getContext('2d', { willReadFrequently: true }) ?? null

  const emit = useFrame(() => {
    const ctx = context()
    const c = canvas.value
    if (!ctx || !c) return
    const rgba = ctx.getImageData(0, 0, c.width, c.height).data
    const ink = new Float32Array(c.width * c.height)
    for (let i = 0; i < ink.length; i++) ink[i] = rgba[4 * i + 3] / 255
    onInk(ink, c.width, c.height)
  })

  /** Pad pixels under the pointer: the canvas may be drawn at any CSS size. */
  const at = (e: PointerEvent) => {
    const c = canvas.value!
    const r = c.getBoundingClientRect()
    return { x: ((e.clientX - r.left) * c.width) / r.width, y: ((e.clientY - r.top) * c.height) / r.height }
  }

  const segment = (ctx: CanvasRenderingContext2D, to: { x: number; y: number }) => {
    const from = last ?? to
    ctx.beginPath()
    ctx.moveTo(from.x, from.y)
    // a zero-length segment with round caps draws a dot, so a tap leaves a mark
    ctx.lineTo(to.x + (from === to ? 0.01 : 0), to.y)
    ctx.stroke()
    last = to
  }

  function down(e: PointerEvent): void {
    const ctx = context()
    if (!ctx || (e.pointerType === 'mouse' && e.button !== 0)) return
    e.preventDefault()
    canvas.value!.setPointerCapture?.(e.pointerId)
    drawing = e.pointerId
    last = null
    ctx.lineCap = 'round'
    ctx.lineJoin = 'round'
    ctx.lineWidth = BRUSH_WIDTH
    ctx.strokeStyle = getComputedStyle(canvas.value!).color
    segment(ctx, at(e))
    emit()
  }

  function move(e: PointerEvent): void {
    const ctx = context()
    if (!ctx || e.pointerId !== drawing) return
    // the points the browser merged into this event, so a fast stroke stays smooth
    const points = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : []
    for (const p of points.length ? points : [e]) segment(ctx, at(p))
    emit()
  }

  function up(e: PointerEvent): void {
    if (e.pointerId !== drawing) return
    drawing = null
    last = null
    emit()
  }

  function clear(): void {
    const c = canvas.value
    context()?.clearRect(0, 0, c?.width ?? 0, c?.height ?? 0)
    drawing = null
    last = null
  }

  onScopeDispose(() => { drawing = null })
  return { down, move, up, clear }
}
