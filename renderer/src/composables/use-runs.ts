import { computed, onScopeDispose, ref, shallowRef } from 'vue'
import type { BackpropApi, RunHistory, RunListing } from '../../../shared/ipc'
import { downloadFile } from '../lib/save-file'
import { sortRuns, type RunSortKey } from '../lib/runs-table'
import type { Notifier } from './use-notifier'
import { t } from '../i18n'

/** Runs overlaid at most, so the legend and colours stay readable. */
export const MAX_COMPARED = 8

/** The run library: the table (sorted), the runs picked for comparison and their curves, and what can be done to a run. */
export function useRuns(api: BackpropApi, notifier: Notifier, onModelOpened: () => Promise<void>) {
  const listing = shallowRef<RunListing>({ runs: [], damaged: [] })
  const sortKey = ref<RunSortKey>('date')
  const descending = ref(true)
  const selected = ref<string[]>([])
  const histories = shallowRef(new Map<string, RunHistory>())
  const loading = ref(false)

  const sorted = computed(() => sortRuns(listing.value.runs, sortKey.value, descending.value))
  const compared = computed(() => selected.value.flatMap((id) => histories.value.get(id) ?? []))

  const load = async () => {
    loading.value = true
    try {
      listing.value = await api.listRuns({})
      const ids = new Set(listing.value.runs.map((r) => r.id))
      selected.value = selected.value.filter((id) => ids.has(id))
    } catch (e) {
      notifier.error(e, t('notify.readingRuns'))
    } finally {
      loading.value = false
    }
  }
  const fetchHistory = async (id: string) => {
    try {
      const h = await api.runHistory({ id })
      histories.value = new Map(histories.value).set(id, h)
    } catch (e) {
      selected.value = selected.value.filter((x) => x !== id)
      notifier.error(e, t('notify.readingRun', { id }))
    }
  }
  // a run being written changes; its curves are fetched again when the library changes
  const off = api.onEvent((e) => {
    if (e.type !== 'runs-changed') return
    histories.value = new Map([...histories.value].filter(([id]) => listing.value.runs.find((r) => r.id === id)?.status !== 'running'))
    void load().then(() => Promise.all(selected.value.filter((id) => !histories.value.has(id)).map(fetchHistory)))
  })
  onScopeDispose(off)

  return {
    listing, sorted, sortKey, descending, selected, compared, loading, load,
    sortBy(key: RunSortKey) {
      if (sortKey.value === key) descending.value = !descending.value
      else { sortKey.value = key; descending.value = key === 'date' || key === 'trainAcc' || key === 'testAcc' }
    },
    async toggle(id: string) {
      if (selected.value.includes(id)) { selected.value = selected.value.filter((x) => x !== id); return }
      if (selected.value.length >= MAX_COMPARED) { notifier.info(t('notify.comparingEnough'), t('notify.comparingEnoughHint', { n: MAX_COMPARED })); return }
      selected.value = [...selected.value, id]
      if (!histories.value.has(id)) await fetchHistory(id)
    },
    async rename(id: string, name: string) {
      try {
        await api.renameRun({ id, name })
        histories.value = new Map([...histories.value].filter(([x]) => x !== id))
        await load()
        if (selected.value.includes(id)) await fetchHistory(id)
      } catch (e) {
        notifier.error(e, t('notify.renamingRun'))
      }
    },
    async remove(id: string) {
      try {
        await api.deleteRun({ id })
        selected.value = selected.value.filter((x) => x !== id)
        await load()
      } catch (e) {
        notifier.error(e, t('notify.deletingRun'))
      }
    },
    async openModel(id: string) {
      try {
        await api.openRunModel({ id })
        await onModelOpened()
        notifier.info(t('notify.modelOpened'), t('notify.modelOpenedHint'))
      } catch (e) {
        notifier.error(e, t('notify.openingRunModel'))
      }
    },
    async exportCsv(id: string) {
      try {
        const { fileName, csv } = await api.runCsv({ id })
        if (api.nativeDialogs) {
          const saved = await api.saveExport({ kind: 'csv', fileName, data: csv, path: null })
          if (saved) notifier.info(t('notify.historyExported'), saved.path)
        } else downloadFile(fileName, csv, 'text/csv')
      } catch (e) {
        notifier.error(e, t('notify.exportingHistory'))
      }
    },
  }
}

export type Runs = ReturnType<typeof useRuns>
