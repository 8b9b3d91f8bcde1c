import { computed, onScopeDispose, ref, shallowRef } from 'vue'
import type { NetworkConfig } from '../../../shared/engine/network-config'
import type { BackpropApi, ErrorInfo, GradCheckResult, GradientBug } from '../../../shared/ipc'
import { errorInfo } from '../../../shared/error-info'
import { gradcheckVerdict, type Verdict } from '../lib/gradcheck-verdict'
import type { Notifier } from './use-notifier'
import { t } from '../i18n'

/** Gradient check runs: progress from gradcheck-progress events, one result row per parameter. */
export function useGradCheck(api: BackpropApi, notifier: Notifier) {
  /** Training images compared (book: 3). */
  const samples = ref(3)
  const useCurrentModel = ref(false)
  /** "Break it": the bug the next check injects into its backward pass. */
  const bug = ref<GradientBug | 'none'>('none')
  const running = ref(false)
  const done = ref(0)
  const total = ref(0)
  const result = shallowRef<GradCheckResult | null>(null)
  const error = ref<ErrorInfo | null>(null)
  /** The last run was cancelled: not an error, and it left no result. */
  const cancelled = ref(false)
  const cancelling = ref(false)

  const off = api.onEvent((e) => {
    if (e.type === 'gradcheck-progress' && running.value) {
      done.value = e.done
      total.value = e.total
    }
  })
  onScopeDispose(off)

  const overall = computed<Verdict | null>(() => {
    const rows = result.value?.params
    if (!rows?.length) return null
    const verdicts = rows.map(gradcheckVerdict)
    return verdicts.includes('fail') ? 'fail' : verdicts.includes('warn') ? 'warn' : 'pass'
  })

  return {
    samples, useCurrentModel, bug, running, done, total, result, error, cancelled, cancelling, overall,
    async run(network: NetworkConfig, seed: number) {
      if (running.value) return
      running.value = true
      done.value = 0
      total.value = 0
      error.value = null
      cancelled.value = false
      try {
        const broken = bug.value === 'none' ? {} : { bug: bug.value }
        result.value = await api.gradientCheck({ network, seed, samples: samples.value, useCurrentModel: useCurrentModel.value, ...broken })
      } catch (e) {
        if (errorInfo(e).name === 'CancelledError') {
          cancelled.value = true
          result.value = null
        } else {
          error.value = errorInfo(e)
          notifier.error(e, t('notify.gradcheck'))
        }
      } finally {
        running.value = false
        cancelling.value = false
      }
    },
    /** Asks the back end to stop the running check; run() then settles with `cancelled`. */
    async cancel() {
      if (!running.value || cancelling.value) return
      cancelling.value = true
      try {
        await api.cancelGradientCheck({})
      } catch (e) {
        cancelling.value = false
        notifier.error(e, t('notify.cancellingGradcheck'))
      }
    },
  }
}

export type GradCheckState = ReturnType<typeof useGradCheck>
