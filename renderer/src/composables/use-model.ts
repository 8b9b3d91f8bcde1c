import { onScopeDispose, ref, shallowRef } from 'vue'
import type { BackpropApi, ErrorInfo, ModelInfo, RecentModel } from '../../../shared/ipc'
import { errorInfo } from '../../../shared/error-info'
import { baseName } from '../lib/format'
import type { PathAsker } from './use-dataset'
import type { Notifier } from './use-notifier'

export interface Evaluation {
  trainAcc: number
  testAcc: number
  /** Images per split, 0 for all. */
  samples: number
}

/** The model in memory (trained or opened), the recent-models list, and evaluation. */
export function useModel(api: BackpropApi, notifier: Notifier, askPath: PathAsker) {
  const model = shallowRef<ModelInfo | null>(null)
  const recent = ref<RecentModel[]>([])
  const evaluation = shallowRef<Evaluation | null>(null)
  const busy = ref<'save' | 'open' | 'evaluate' | null>(null)
  /** The last open/save failure, shown in the model view as it is. */
  const error = ref<ErrorInfo | null>(null)

  const refreshRecent = async () => {
    try {
      recent.value = await api.recentModels({})
    } catch (e) {
      notifier.error(e, 'Listing recent models')
    }
  }

  const off = api.onEvent((e) => {
    if (e.type === 'train-finished') {
      model.value = e.model
      evaluation.value = null
    }
  })
  onScopeDispose(off)

  const run = async <T>(kind: 'save' | 'open' | 'evaluate', what: string, fn: () => Promise<T>): Promise<T | undefined> => {
    if (busy.value) return undefined
    busy.value = kind
    try {
      const out = await fn()
      error.value = null
      return out
    } catch (e) {
      error.value = errorInfo(e)
      notifier.error(e, what)
      return undefined
    } finally {
      busy.value = null
    }
  }

  return {
    model, recent, evaluation, busy, error,
    async load() {
      try {
        model.value = await api.currentModel({})
      } catch (e) {
        notifier.error(e, 'Reading the current model')
      }
      await refreshRecent()
    },
    /** Save to the model's own file, or ask where when it has none (or `as` is set). */
    async save(as = false) {
      if (!model.value) return
      const current = model.value.path
      const path = !as && current ? current : await askPath('save-model', current ?? '')
      if (path === undefined) return
      const saved = await run('save', 'Saving model', () => api.saveModel({ path }))
      if (saved) {
        model.value = saved
        notifier.info('Model saved', saved.path ? baseName(saved.path) : '')
        await refreshRecent()
      }
    },
    async open(path?: string) {
      const chosen = path ?? await askPath('open-model', model.value?.path ?? '')
      if (chosen === undefined) return
      const opened = await run('open', 'Opening model', () => api.openModel({ path: chosen }))
      if (opened) {
        model.value = opened
        evaluation.value = null
        await refreshRecent()
      }
    },
    async evaluate(samples = 0) {
      if (!model.value) return
      const acc = await run('evaluate', 'Evaluating model', () => api.evaluateModel({ evalSamples: samples }))
      if (acc) evaluation.value = { ...acc, samples }
    },
    refreshRecent,
  }
}

export type ModelState = ReturnType<typeof useModel>
