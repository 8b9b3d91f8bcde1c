import { computed, reactive, ref } from 'vue'
import { OPTIMIZER_KINDS, type OptimizerKind } from '../../../shared/engine/optimizer'
import { BOOK_FIGURE, figurePaths } from '../../../shared/lab/optimizer-figure'
import { LIMITS } from '../../../shared/schemas/limits'

/** Updates per path: enough to see any of them settle, few enough to redraw as one types. */
export const MAX_STEPS = 1000

export const validSteps = (n: number) => Number.isInteger(n) && n >= 1 && n <= MAX_STEPS
export const validLr = (lr: number) => Number.isFinite(lr) && lr > 0 && lr <= LIMITS.lr

/**
 * The optimiser playground's settings, starting from the book's figure, and the paths they give.
 * An optimiser whose lr is not valid is left out; invalid steps keep the last valid count.
 */
export function useOptimizerPlayground() {
  const steps = ref(BOOK_FIGURE.steps)
  const lr = reactive({ ...BOOK_FIGURE.lr })
  const shown = reactive(Object.fromEntries(OPTIMIZER_KINDS.map((k) => [k, BOOK_FIGURE.shown.includes(k)])) as Record<OptimizerKind, boolean>)
  let lastSteps = steps.value

  const paths = computed(() => {
    if (validSteps(steps.value)) lastSteps = steps.value
    return figurePaths({
      steps: lastSteps,
      lr: { ...lr },
      shown: OPTIMIZER_KINDS.filter((k) => shown[k] && validLr(lr[k])),
    })
  })

  function reset(): void {
    steps.value = BOOK_FIGURE.steps
    Object.assign(lr, BOOK_FIGURE.lr)
    for (const k of OPTIMIZER_KINDS) shown[k] = BOOK_FIGURE.shown.includes(k)
  }

  return { steps, lr, shown, paths, reset }
}
