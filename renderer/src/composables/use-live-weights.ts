import { onMounted, onScopeDispose, ref, shallowRef, watch, type Ref } from 'vue'
import type { BackpropApi, ErrorInfo, LiveWeights, ModelInfo } from '../../../shared/ipc'
import { errorInfo } from '../../../shared/error-info'

/** While training runs, the weights are asked for this often (twice a second), one request at a time. */
export const LIVE_WEIGHTS_MS = 500

/**
 * One layer's weights for the view that shows them: asked for every LIVE_WEIGHTS_MS while a
 * job trains (the worker takes them between steps), and once whenever the model or the layer
 * changes. Lives as long as the calling component: nothing is asked for when it is not shown.
 */
export function useLiveWeights(api: BackpropApi, training: Ref<boolean>, model: Ref<ModelInfo | null>, layer: Ref<number>) {
  const weights = shallowRef<LiveWeights | null>(null)
  const error = ref<ErrorInfo | null>(null)
  let busy = false
  let again = false
  let timer: ReturnType<typeof setTimeout> | null = null
  let disposed = false

  const fetch = async (): Promise<void> => {
    if (busy) { again = true; return }
    busy = true
    try {
      const w = await api.liveWeights({ layer: layer.value })
      if (!disposed) { weights.value = w; error.value = null }
    } catch (e) {
      if (!disposed) error.value = errorInfo(e)
    } finally {
      busy = false
      if (again && !disposed) { again = false; void fetch() }
    }
  }
  const poll = async () => {
    timer = null
    await fetch()
    if (!disposed && training.value && timer === null) timer = setTimeout(() => void poll(), LIVE_WEIGHTS_MS)
  }

  onMounted(() => void poll())
  watch(training, (on) => { if (on && timer === null) void poll() })
  watch([model, layer], () => void fetch())
  onScopeDispose(() => {
    disposed = true
    if (timer !== null) clearTimeout(timer)
  })
  return { weights, error }
}
