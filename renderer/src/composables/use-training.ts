import { computed, onScopeDispose, ref, shallowRef } from 'vue'
import type { TrainConfig } from '../../../shared/engine/train-config'
import type { BackendEvent, BackpropApi, TrainingState, TrainingStatus } from '../../../shared/ipc'
import type { EvalReport, TrainProgress, WatchdogAlarm } from '../../../shared/training-events'
import { GrowableSeries } from '../lib/growable-series'
import type { Notifier } from './use-notifier'
import { t } from '../i18n'
import { formatInt, formatPercent } from '../lib/format'

type JobEvent = Extract<BackendEvent, { jobId: string }>
export type FinishedEvent = Extract<BackendEvent, { type: 'train-finished' }>

const PUBLISH_EVERY_MS = 100

/**
 * One training job at a time, fed by back-end events. `losses` holds every mini-batch loss of
 * the run, `evals` every evaluation; both are replaced, never mutated, when events arrive.
 */
export function useTraining(api: BackpropApi, notifier: Notifier) {
  const jobId = ref<string | null>(null)
  const state = ref<TrainingState>('idle')
  const config = shallowRef<TrainConfig | null>(null)
  const progress = shallowRef<TrainProgress | null>(null)
  const losses = shallowRef<Float64Array>(new Float64Array(0))
  const evals = shallowRef<EvalReport[]>([])
  /** Iterations the model had before this run (train further); the loss chart's x starts there. */
  const iterOffset = ref(0)
  const finished = shallowRef<FinishedEvent | null>(null)
  /** What the watchdog saw when it last paused this run; cleared when the run resumes or a new one starts. */
  const watchdog = shallowRef<WatchdogAlarm | null>(null)
  const starting = ref(false)
  const controlling = ref(false)

  const series = new GrowableSeries(4096)
  /** Events that arrive while startTraining is in flight, before the job id is known. */
  let early: JobEvent[] = []

  const active = computed(() => state.value !== 'idle')

  /**
   * Progress reaches the page at most every PUBLISH_EVERY_MS: messages come 20–25 times a second,
   * and each change of what the page shows costs a frame (style, layout, paint, composite) that
   * competes with training for the cores. Losses and evaluations are kept from every message;
   * only their publication waits, at most PUBLISH_EVERY_MS.
   */
  let pending: TrainProgress | null = null
  let lossesChanged = false
  let pendingEvals: EvalReport[] = []
  let lastPublished = Number.NEGATIVE_INFINITY
  let timer: ReturnType<typeof setTimeout> | null = null
  const cancelTimer = () => {
    if (timer !== null) { clearTimeout(timer); timer = null }
  }
  const publish = () => {
    cancelTimer()
    const p = pending
    if (!p) return
    pending = null
    lastPublished = performance.now()
    if (lossesChanged) { losses.value = series.view(); lossesChanged = false }
    if (pendingEvals.length) { evals.value = [...evals.value, ...pendingEvals]; pendingEvals = [] }
    progress.value = p
    if (state.value !== 'stopping') state.value = p.state
  }
  const dropPending = () => {
    cancelTimer()
    pending = null
    lossesChanged = false
    pendingEvals = []
  }
  onScopeDispose(dropPending)

  const apply = (e: JobEvent) => {
    if (e.type === 'train-progress') {
      const p = e.progress
      if (p.losses.length) { series.write(p.lossStart, p.losses); lossesChanged = true }
      if (p.evals.length) pendingEvals.push(...p.evals)
      pending = p
      if (p.watchdog) watchdog.value = p.watchdog
      const wait = lastPublished + PUBLISH_EVERY_MS - performance.now()
      // a change of the job's state (paused, evaluating, running again) shows at once, with
      // the iteration it happened at, though a control's answer may have shown the state already
      if (wait <= 0 || p.state !== progress.value?.state) publish()
      else timer ??= setTimeout(publish, wait)
    } else if (e.type === 'train-finished') {
      publish()
      state.value = 'idle'
      // the final list is authoritative: it has every evaluation, including one that came with the end
      if (e.evals.length >= evals.value.length) evals.value = e.evals
      finished.value = e
      jobId.value = null
      const s = e.summary
      notifier.info(t(e.stopped ? 'notify.trainingStopped' : 'notify.trainingFinished'),
        t('notify.trainingSummary', { iters: formatInt(s.iterations), acc: formatPercent(s.testAcc) }))
    } else if (e.type === 'train-failed') {
      publish()
      state.value = 'idle'
      jobId.value = null
      notifier.error(e.error, t('notify.training'))
    }
  }

  const off = api.onEvent((e) => {
    if (!('jobId' in e) || e.type === 'gradcheck-progress') return
    if (starting.value && jobId.value === null) { early.push(e); return }
    if (e.jobId === jobId.value) apply(e)
  })
  onScopeDispose(off)

  const adoptStatus = (s: TrainingStatus) => {
    if (s.jobId !== jobId.value) return
    state.value = s.state
  }

  return {
    jobId, state, config, progress, losses, evals, iterOffset, finished, starting, controlling, active, watchdog,
    async start(next: TrainConfig, resume: boolean, startIterations = 0) {
      if (active.value || starting.value) return
      dropPending()
      series.clear()
      losses.value = series.view()
      evals.value = []
      progress.value = null
      finished.value = null
      watchdog.value = null
      config.value = next
      iterOffset.value = resume ? startIterations : 0
      starting.value = true
      early = []
      try {
        const { jobId: id } = await api.startTraining({ config: next, resume })
        jobId.value = id
        state.value = 'running'
        const queued = early
        early = []
        for (const e of queued) if (e.jobId === id && jobId.value === id) apply(e)
      } catch (e) {
        notifier.error(e, t('notify.startingTraining'))
      } finally {
        starting.value = false
        early = []
      }
    },
    async control(action: 'pause' | 'resume' | 'stop' | 'step') {
      const id = jobId.value
      if (!id) return
      controlling.value = true
      if (action === 'stop') state.value = 'stopping'
      if (action === 'resume') watchdog.value = null
      try {
        adoptStatus(await api.controlTraining({ jobId: id, action }))
      } catch (e) {
        notifier.error(e, t(`notify.control.${action}`))
      } finally {
        controlling.value = false
      }
    },
    /** Picks up a job that runs already, e.g. after the page was reloaded in web mode. */
    async attach() {
      try {
        const s = await api.trainingStatus({})
        if (s.jobId && s.state !== 'idle' && !jobId.value) {
          jobId.value = s.jobId
          state.value = s.state
          config.value = s.config
        }
      } catch (e) {
        notifier.error(e, t('notify.readingStatus'))
      }
    },
  }
}

export type TrainingApi = ReturnType<typeof useTraining>
