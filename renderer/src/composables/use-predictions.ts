import { ref, shallowRef } from 'vue'
import type { BackpropApi, ErrorInfo, Prediction, SampleImages } from '../../../shared/ipc'
import { errorInfo } from '../../../shared/error-info'

export const PREDICTION_PAGE = 24

export interface PredictionPage {
  images: SampleImages
  predictions: Prediction[]
}

/**
 * A page of test images with the model's predictions. Failures stay in `error` and show in
 * the gallery (a refresh during training may find no model yet); the last good page stays.
 */
export function usePredictions(api: BackpropApi) {
  const start = ref(0)
  const page = shallowRef<PredictionPage | null>(null)
  const loading = ref(false)
  const error = ref<ErrorInfo | null>(null)
  const onlyWrong = ref(false)
  let request = 0

  const refresh = async (testCount: number) => {
    const mine = ++request
    const from = Math.max(0, Math.min(start.value, Math.max(0, testCount - 1)))
    const count = Math.max(0, Math.min(PREDICTION_PAGE, testCount - from))
    if (count === 0) return
    loading.value = true
    try {
      const indices = Array.from({ length: count }, (_, k) => from + k)
      const [images, predictions] = await Promise.all([
        api.datasetSamples({ split: 'test', start: from, count }),
        api.predict({ indices }),
      ])
      if (mine !== request) return
      page.value = { images, predictions }
      error.value = null
    } catch (e) {
      if (mine === request) error.value = errorInfo(e)
    } finally {
      if (mine === request) loading.value = false
    }
  }

  return { start, page, loading, error, onlyWrong, refresh }
}

export type PredictionsState = ReturnType<typeof usePredictions>
