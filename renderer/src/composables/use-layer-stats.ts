import { computed, onScopeDispose, shallowRef } from 'vue'
import type { BackpropApi, LayerStatsSample } from '../../../shared/ipc'

/** Samples kept per run; beyond it every other one is dropped, so a long run keeps its whole span. */
export const MAX_STAT_SAMPLES = 2000

/** Keeps every other sample, and always the newest. */
export function thinSamples<T>(samples: readonly T[]): T[] {
  const kept = samples.filter((_, i) => i % 2 === 0)
  if (samples.length % 2 === 0) kept.push(samples[samples.length - 1])
  return kept
}

/**
 * Every layer's weight statistics over the current run, as its progress messages bring them
 * (a few a second). Listens from the start, whichever tab is shown; a new job starts afresh.
 */
export function useLayerStats(api: BackpropApi) {
  const samples = shallowRef<LayerStatsSample[]>([])
  let job: string | null = null
  const off = api.onEvent((e) => {
    if (e.type !== 'train-progress' || !e.progress.layerStats) return
    const s = e.progress.layerStats
    if (e.jobId !== job) { job = e.jobId; samples.value = [] }
    const list = samples.value
    // a progress message that carries an evaluation repeats the last sample
    if (list.length && list[list.length - 1].iter >= s.iter) return
    const next = [...list, s]
    samples.value = next.length > MAX_STAT_SAMPLES ? thinSamples(next) : next
  })
  onScopeDispose(off)
  const latest = computed(() => samples.value.at(-1) ?? null)
  return { samples, latest }
}

export type LayerStatsState = ReturnType<typeof useLayerStats>
