import { computed, ref, shallowRef, watch, type Ref } from 'vue'
import { MNIST_PIXELS, mnistPreprocess } from '../../../shared/data/mnist-preprocess'
import { errorInfo } from '../../../shared/error-info'
import type { BackpropApi, ErrorInfo, ImageClassification, ModelInfo } from '../../../shared/ipc'
import { t } from '../i18n'

/**
 * The Draw tab: a drawing preprocessed as MNIST was (mnistPreprocess) and classified by the
 * current model on a worker. At most one request is in flight; while it runs, newer drawings
 * replace each other and only the latest is sent next, so fast strokes cost a few requests a second.
 */
export function useDrawDigit(api: BackpropApi, model: Ref<ModelInfo | null>) {
  /** The 28×28 bytes fed to the network; null while the pad is empty. */
  const pixels = shallowRef<Uint8Array | null>(null)
  const result = shallowRef<ImageClassification | null>(null)
  const error = ref<ErrorInfo | null>(null)
  const busy = ref(false)
  /** Why the current model cannot read drawings, or null when it can. */
  const unusable = computed(() => {
    const m = model.value
    if (!m) return t('notify.drawNoModel')
    if (m.network.inputSize !== MNIST_PIXELS) return t('notify.drawInputs', { pixels: MNIST_PIXELS, inputs: m.network.inputSize })
    return null
  })
  let next: Uint8Array | null = null
  /** Bumped by clear and by a new model: answers to older requests are dropped. */
  let generation = 0

  async function pump(): Promise<void> {
    if (busy.value) return
    busy.value = true
    try {
      while (next) {
        const image = next, mine = generation
        next = null
        try {
          const r = await api.predictImage({ pixels: Array.from(image) })
          if (mine === generation) { result.value = r; error.value = null }
        } catch (e) {
          if (mine === generation) error.value = errorInfo(e)
        }
      }
    } finally {
      busy.value = false
    }
  }

  function classify(image: Uint8Array): void {
    if (unusable.value) return
    next = image
    void pump()
  }

  /** The pad's ink, width × height values in [0, 1]. */
  function draw(ink: ArrayLike<number>, width: number, height: number): void {
    const image = mnistPreprocess(ink, width, height)
    pixels.value = image
    if (image) classify(image)
    else { generation++; result.value = null }
  }

  function clear(): void {
    generation++
    next = null
    pixels.value = null
    result.value = null
    error.value = null
  }

  // a new or opened model reads the drawing again
  watch(model, () => {
    generation++
    result.value = null
    error.value = null
    if (pixels.value) classify(pixels.value)
  })

  return { pixels, result, error, busy, unusable, draw, clear }
}

export type DrawDigit = ReturnType<typeof useDrawDigit>
