import { onScopeDispose, ref, shallowRef, watch } from 'vue'
import { wrap } from 'comlink'
import type { Activation, WeightInit } from '../../../shared/engine/network-config'
import { activationHistograms, BOOK_INIT_LAB, type InitLabConfig, type LayerActivations } from '../../../shared/lab/activation-histograms'
import { errorInfo } from '../../../shared/error-info'
import type { InitLabApi } from '../workers/init-lab.worker'

export type InitChoice = 'std-0.01' | 'std-1' | 'xavier' | 'he'

/** The four inits of the book's experiment, in its order. */
export const INIT_CHOICES: { id: InitChoice; label: string; init: WeightInit }[] = [
  { id: 'std-1', label: 'std 1', init: { kind: 'std', std: 1 } },
  { id: 'std-0.01', label: 'std 0.01', init: { kind: 'std', std: 0.01 } },
  { id: 'xavier', label: 'Xavier, 1/√n', init: { kind: 'xavier' } },
  { id: 'he', label: 'He, √(2/n)', init: { kind: 'he' } },
]

export type HistogramSource = (config: InitLabConfig) => Promise<LayerActivations[]>

/**
 * A worker of its own, ended with the scope. One run takes ~0.2 s, too long for the UI thread;
 * where there are no workers (the component tests' DOM) it runs in place.
 */
function workerSource(): HistogramSource {
  if (typeof Worker !== 'function') return async (config) => activationHistograms(config)
  const worker = new Worker(new URL('../workers/init-lab.worker.ts', import.meta.url), { type: 'module' })
  onScopeDispose(() => worker.terminate())
  const api = wrap<InitLabApi>(worker)
  return (config) => api.activationHistograms(config)
}

export const validSeed = (n: number) => Number.isInteger(n) && n >= 0 && n <= 0xffffffff

/**
 * The initialisation lab: the chosen init and activation, and each layer's histogram for them.
 * Results are kept per choice, so switching back is instant; only the latest request is shown.
 */
export function useInitLab(source: HistogramSource = workerSource()) {
  const init = ref<InitChoice>('std-1')
  const activation = ref<Activation>('sigmoid')
  const seed = ref(BOOK_INIT_LAB.seed)
  const layers = shallowRef<LayerActivations[] | null>(null)
  /** The choice `layers` belongs to, "std-1/sigmoid/1", for the view and the tests. */
  const shownKey = ref('')
  const busy = ref(false)
  const error = ref('')
  const cache = new Map<string, LayerActivations[]>()
  let latest = 0

  async function refresh(): Promise<void> {
    if (!validSeed(seed.value)) return
    const key = `${init.value}/${activation.value}/${seed.value}`
    const request = ++latest
    const weightInit = INIT_CHOICES.find((c) => c.id === init.value)!.init
    let result = cache.get(key)
    if (!result) {
      busy.value = true
      try {
        result = await source({ ...BOOK_INIT_LAB, weightInit, activation: activation.value, seed: seed.value })
        cache.set(key, result)
      } catch (e) {
        if (request === latest) { error.value = errorInfo(e).message; busy.value = false }
        return
      }
    }
    if (request !== latest) return
    layers.value = result
    shownKey.value = key
    busy.value = false
    error.value = ''
  }

  watch([init, activation, seed], () => { void refresh() }, { immediate: true })
  return { init, activation, seed, layers, shownKey, busy, error }
}
