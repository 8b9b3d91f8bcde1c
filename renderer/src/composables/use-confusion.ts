import { ref, shallowRef } from 'vue'
import type { BackpropApi, ErrorInfo, ModelConfusion } from '../../../shared/ipc'
import { errorInfo } from '../../../shared/error-info'
import { cellImages, confidentlyWrong } from '../lib/confusion-metrics'
import type { PredictionPage } from './use-predictions'

/** Images listed per confusion cell and in the most-confidently-wrong gallery. */
export const GALLERY_SIZE = 24

/**
 * The current model's confusion matrix on the test split (computed on a worker), the images of
 * the cell the user picked, most confident first, and the most confidently wrong images. The
 * matrix goes stale when the model changes; the view recomputes it when shown.
 */
export function useConfusion(api: BackpropApi) {
  const result = shallowRef<ModelConfusion | null>(null)
  const loading = ref(false)
  const error = ref<ErrorInfo | null>(null)
  const stale = ref(true)
  const cell = ref<{ label: number; predicted: number } | null>(null)
  const drill = shallowRef<PredictionPage | null>(null)
  const wrong = shallowRef<PredictionPage | null>(null)
  const drilling = ref(false)
  let request = 0
  let drillRequest = 0

  /** Pixels and softmax outputs of test images, in the order given. */
  const gallery = async (indices: number[]): Promise<PredictionPage | null> => {
    if (!indices.length) return null
    const [images, predictions] = await Promise.all([api.datasetImages({ split: 'test', indices }), api.predict({ indices })])
    return { images, predictions }
  }

  const compute = async () => {
    const mine = ++request
    loading.value = true
    stale.value = false
    try {
      const c = await api.confusionMatrix({})
      if (mine !== request) return
      result.value = c
      drillRequest++
      drilling.value = false
      cell.value = null
      drill.value = null
      error.value = null
      const page = await gallery(confidentlyWrong(c, GALLERY_SIZE))
      if (mine === request) wrong.value = page
    } catch (e) {
      if (mine === request) error.value = errorInfo(e)
    } finally {
      if (mine === request) loading.value = false
    }
  }

  const select = async (label: number, predicted: number) => {
    const c = result.value
    if (!c) return
    const mine = ++drillRequest
    cell.value = { label, predicted }
    drill.value = null
    drilling.value = true
    try {
      const page = await gallery(cellImages(c, label, predicted, GALLERY_SIZE))
      if (mine === drillRequest) drill.value = page
    } catch (e) {
      if (mine === drillRequest) error.value = errorInfo(e)
    } finally {
      if (mine === drillRequest) drilling.value = false
    }
  }

  return { result, loading, error, stale, cell, drill, drilling, wrong, compute, select, markStale: () => { stale.value = true } }
}

export type ConfusionState = ReturnType<typeof useConfusion>
