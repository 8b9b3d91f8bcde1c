import { computed, onScopeDispose, ref, shallowRef } from 'vue'
import type { BackpropApi, SweepStatus } from '../../../shared/ipc'
import type { TrainConfig } from '../../../shared/engine/train-config'
import { rankTrials } from '../../../shared/sweep/rank-trials'
import { SWEEP_FORM_DEFAULTS, sweepSpecFromForm, type SweepFormValues } from '../lib/sweep-form'
import type { Notifier } from './use-notifier'
import { t } from '../i18n'

const IDLE: SweepStatus = { sweepId: null, state: 'idle', mode: null, trials: [], concurrency: 0 }

/** The sweep form, the running sweep's trials as they report, start and cancel. */
export function useSweep(api: BackpropApi, notifier: Notifier) {
  const form = ref<SweepFormValues>({ ...SWEEP_FORM_DEFAULTS })
  const status = shallowRef<SweepStatus>(IDLE)
  const busy = ref(false)
  const running = computed(() => status.value.state === 'running' || status.value.state === 'cancelling')
  const ranked = computed(() => rankTrials(status.value.trials))

  const off = api.onEvent((e) => {
    if (e.type === 'sweep-trial') {
      if (e.sweepId !== status.value.sweepId) return
      const trials = status.value.trials.slice()
      trials[e.trial.index] = e.trial
      status.value = { ...status.value, trials }
    } else if (e.type === 'sweep-finished') {
      if (e.sweepId === status.value.sweepId) status.value = e.status
    }
  })
  onScopeDispose(off)

  return {
    form, status, running, ranked, busy,
    async attach() {
      try { status.value = await api.sweepStatus({}) } catch (e) { notifier.error(e, t('notify.readingSweep')) }
    },
    async start(base: TrainConfig) {
      busy.value = true
      try {
        const spec = sweepSpecFromForm(form.value, base)
        const { sweepId } = await api.startSweep({ spec })
        // the trials report as events; the status fills the table until they do
        const now = await api.sweepStatus({})
        status.value = now.sweepId === sweepId ? now : { ...IDLE, sweepId, state: 'running', mode: spec.mode }
      } catch (e) {
        notifier.error(e, t('notify.startingSweep'))
      } finally {
        busy.value = false
      }
    },
    async cancel() {
      try {
        const now = await api.cancelSweep({})
        if (now.sweepId === status.value.sweepId && status.value.state === 'running') status.value = { ...status.value, state: now.state }
      } catch (e) {
        notifier.error(e, t('notify.cancellingSweep'))
      }
    },
  }
}

export type Sweep = ReturnType<typeof useSweep>
