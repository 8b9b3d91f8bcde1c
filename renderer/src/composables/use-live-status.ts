import { onScopeDispose, ref, watch } from 'vue'
import { t } from '../i18n'
import { formatInt, formatPercent, formatValue } from '../lib/format'
import type { Studio } from './use-studio'

/** Screen readers hear the training status at most this often; state changes are said at once. */
export const ANNOUNCE_EVERY_MS = 5000

/**
 * The text of the polite live region: what training is doing, refreshed at most every
 * ANNOUNCE_EVERY_MS so a reader is not flooded by 20 progress messages a second.
 */
export function useLiveStatus(studio: Studio) {
  const message = ref('')
  const { training } = studio
  let last = 0
  let timer: ReturnType<typeof setTimeout> | null = null

  const describe = (): string => {
    const p = training.progress.value
    const state = training.state.value
    const finished = training.finished.value
    if (state === 'idle') {
      if (!finished) return ''
      const iter = formatInt(finished.summary.iterations)
      const acc = t('live.accuracy', { acc: formatPercent(finished.summary.testAcc) })
      return `${t(finished.stopped ? 'live.stopped' : 'live.finished', { iter })}. ${acc}`
    }
    if (!p) return t(`state.${state}`)
    const losses = training.losses.value
    const loss = losses.length ? losses[losses.length - 1] : Number.NaN
    const args = { state: t(`state.${state}`), iter: formatInt(p.iter), total: formatInt(p.totalIters), loss: formatValue(loss) }
    const lastEval = training.evals.value.at(-1)
    const text = t(Number.isFinite(loss) ? 'live.progress' : 'live.progressNoLoss', args)
    return lastEval ? `${text}. ${t('live.accuracy', { acc: formatPercent(lastEval.testAcc) })}` : text
  }

  const announce = () => {
    if (timer) { clearTimeout(timer); timer = null }
    last = Date.now()
    message.value = describe()
  }

  // a new state is news: say it now; progress within a state waits its turn
  watch(training.state, announce)
  watch(training.finished, announce)
  watch(training.progress, () => {
    const wait = ANNOUNCE_EVERY_MS - (Date.now() - last)
    if (wait <= 0) announce()
    else if (!timer) timer = setTimeout(announce, wait)
  })
  onScopeDispose(() => { if (timer) clearTimeout(timer) })

  return { message }
}
