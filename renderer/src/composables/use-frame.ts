import { onScopeDispose } from 'vue'

/**
 * Coalesces calls into one run of `fn` on the next animation frame, so a burst of updates
 * costs one redraw. Pending frames are cancelled with the scope.
 */
export function useFrame(fn: () => void): () => void {
  let handle: number | null = null
  const request = typeof requestAnimationFrame === 'function'
    ? (cb: () => void) => requestAnimationFrame(cb)
    : (cb: () => void) => setTimeout(cb, 16) as unknown as number
  const cancel = typeof cancelAnimationFrame === 'function' ? cancelAnimationFrame : clearTimeout
  onScopeDispose(() => { if (handle !== null) cancel(handle) })
  return () => {
    if (handle !== null) return
    handle = request(() => { handle = null; fn() })
  }
}
