import { computed, ref, shallowRef } from 'vue'
import type { BackpropApi, DatasetInfo, ErrorInfo, SampleImages } from '../../../shared/ipc'
import { errorInfo } from '../../../shared/error-info'
import { formatClassList } from '../../../shared/data/class-counts'
import type { DatasetShape } from '../lib/train-form'
import type { Notifier } from './use-notifier'
import { t } from '../i18n'

export const SAMPLE_PAGE = 40

/** Asks for a path (web mode) or returns null for the native dialog; undefined means cancelled. */
export type PathAsker = (kind: 'dataset' | 'open-model' | 'save-model' | 'export-npz' | 'export-onnx' | 'import-npz', initial?: string) => Promise<string | null | undefined>

/** One sentence naming the classes without a training image, or null when every class has one. */
function emptyClassesWarning(empty: readonly number[], classes: number): string | null {
  if (empty.length === 0) return null
  const args = { cls: empty[0], n: empty.length, list: formatClassList(empty), classes, largest: classes - 1 }
  return t(empty.length === 1 ? 'emptyClasses.one' : 'emptyClasses.many', args)
}

/**
 * The current dataset and a page of its images. A folder that fails to load leaves the
 * previous dataset in place and its error in `error`.
 */
export function useDataset(api: BackpropApi, notifier: Notifier, askPath: PathAsker) {
  const info = shallowRef<DatasetInfo | null>(null)
  const samples = shallowRef<SampleImages | null>(null)
  const split = ref<'train' | 'test'>('train')
  const start = ref(0)
  const opening = ref(false)
  const error = ref<ErrorInfo | null>(null)
  /** Bumped on every change of dataset, so views that show its images reload. */
  const version = ref(0)

  const shape = computed<DatasetShape | null>(() => info.value && {
    inputSize: info.value.rows * info.value.cols,
    classes: info.value.classes,
    trainCount: info.value.trainCount,
  })
  const count = computed(() => (info.value ? (split.value === 'train' ? info.value.trainCount : info.value.testCount) : 0))
  /** Names the classes no training image has, or null. */
  const warning = computed(() => (info.value ? emptyClassesWarning(info.value.emptyClasses, info.value.classes) : null))

  let samplesRequest = 0
  const loadSamples = async () => {
    if (!info.value) return
    const mine = ++samplesRequest
    const n = Math.max(0, Math.min(SAMPLE_PAGE, count.value - start.value))
    try {
      const s = await api.datasetSamples({ split: split.value, start: start.value, count: n })
      if (mine === samplesRequest) samples.value = s
    } catch (e) {
      if (mine === samplesRequest) notifier.error(e, t('notify.loadingSamples'))
    }
  }

  const adopt = (d: DatasetInfo) => {
    info.value = d
    start.value = 0
    version.value++
    void loadSamples()
  }

  return {
    info, samples, split, start, opening, error, version, shape, count, warning,
    async load() {
      try {
        adopt(await api.getDataset({}))
      } catch (e) {
        error.value = errorInfo(e)
        notifier.error(e, t('notify.loadingDataset'))
      }
    },
    async open(path?: string) {
      const chosen = path ?? await askPath('dataset', info.value?.source === 'folder' ? info.value.path : '')
      if (chosen === undefined) return
      opening.value = true
      try {
        const d = await api.openDataset({ path: chosen })
        if (d) {
          error.value = null
          adopt(d)
          if (warning.value) notifier.info(t('notify.emptyClasses'), warning.value)
        }
      } catch (e) {
        error.value = errorInfo(e)
        notifier.error(e, t('notify.openingDataset'))
      } finally {
        opening.value = false
      }
    },
    show(nextSplit: 'train' | 'test', nextStart: number) {
      split.value = nextSplit
      start.value = Math.max(0, Math.min(nextStart, Math.max(0, count.value - 1)))
      void loadSamples()
    },
    dismissError() { error.value = null },
  }
}

export type DatasetState = ReturnType<typeof useDataset>
