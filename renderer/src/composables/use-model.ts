import { onScopeDispose, ref, shallowRef } from 'vue'
import type { BackpropApi, ErrorInfo, ModelExport, ModelInfo, RecentModel } from '../../../shared/ipc'
import { errorInfo } from '../../../shared/error-info'
import { baseName } from '../lib/format'
import type { PathAsker } from './use-dataset'
import type { Notifier } from './use-notifier'
import { t } from '../i18n'

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
  const busy = ref<'save' | 'open' | 'evaluate' | 'export' | 'import' | null>(null)
  /** The last export written, and what the last .npz import assumed. */
  const lastExport = shallowRef<ModelExport | null>(null)
  const importNotes = shallowRef<string[]>([])
  /** The last open/save failure, shown in the model view as it is. */
  const error = ref<ErrorInfo | null>(null)

  const refreshRecent = async () => {
    try {
      recent.value = await api.recentModels({})
    } catch (e) {
      notifier.error(e, t('notify.listingModels'))
    }
  }

  const off = api.onEvent((e) => {
    if (e.type === 'train-finished') {
      model.value = e.model
      evaluation.value = null
      importNotes.value = []
    }
  })
  onScopeDispose(off)

  const run = async <T>(kind: NonNullable<typeof busy.value>, what: string, fn: () => Promise<T>): Promise<T | undefined> => {
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
    model, recent, evaluation, busy, error, lastExport, importNotes,
    async load() {
      try {
        model.value = await api.currentModel({})
      } catch (e) {
        notifier.error(e, t('notify.readingModel'))
      }
      await refreshRecent()
    },
    /** Save to the model's own file, or ask where when it has none (or `as` is set). */
    async save(as = false) {
      if (!model.value) return
      const current = model.value.path
      const path = !as && current ? current : await askPath('save-model', current ?? '')
      if (path === undefined) return
      const saved = await run('save', t('notify.savingModel'), () => api.saveModel({ path }))
      if (saved) {
        model.value = saved
        notifier.info(t('notify.modelSaved'), saved.path ? baseName(saved.path) : '')
        await refreshRecent()
      }
    },
    async open(path?: string) {
      const chosen = path ?? await askPath('open-model', model.value?.path ?? '')
      if (chosen === undefined) return
      const opened = await run('open', t('notify.openingModel'), () => api.openModel({ path: chosen }))
      if (opened) {
        model.value = opened
        evaluation.value = null
        importNotes.value = []
        await refreshRecent()
      }
    },
    async evaluate(samples = 0) {
      if (!model.value) return
      const acc = await run('evaluate', t('notify.evaluatingModel'), () => api.evaluateModel({ evalSamples: samples }))
      if (acc) evaluation.value = { ...acc, samples }
    },
    /** Writes the model in memory as an .npz of the book's arrays or as ONNX. */
    async exportAs(format: 'npz' | 'onnx') {
      if (!model.value) return
      const path = await askPath(`export-${format}`, '')
      if (path === undefined) return
      const written = await run('export', t('notify.exportingModel', { format: format === 'npz' ? '.npz' : 'ONNX' }), () => api.exportModel({ format, path }))
      if (written) {
        lastExport.value = written
        notifier.info(t('notify.exported', { format: format === 'npz' ? 'NumPy .npz' : 'ONNX' }), baseName(written.path))
      }
    },
    /** Makes the model in an .npz (e.g. from the book's Python code) the model in memory. */
    async importNpz() {
      const path = await askPath('import-npz', '')
      if (path === undefined) return
      const imported = await run('import', t('notify.importingNpz'), () => api.importNpz({ path }))
      if (imported) {
        model.value = imported.model
        evaluation.value = null
        importNotes.value = imported.notes
      }
    },
    refreshRecent,
  }
}

export type ModelState = ReturnType<typeof useModel>
