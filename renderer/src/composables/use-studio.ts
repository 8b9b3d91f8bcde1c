import { inject, onScopeDispose, ref, watch, type InjectionKey } from 'vue'
import type { BackpropApi, MenuAction } from '../../../shared/ipc'
import { useColorScheme } from './use-color-scheme'
import { useDataset, type PathAsker } from './use-dataset'
import { useGradCheck } from './use-grad-check'
import { useModel } from './use-model'
import { useNotifier } from './use-notifier'
import { usePathPrompt, type PathRequest } from './use-path-prompt'
import { usePredictions } from './use-predictions'
import { useConfusion } from './use-confusion'
import { useLayerStats } from './use-layer-stats'
import { useTrainForm } from './use-train-form'
import { useTraining } from './use-training'
import { useRuns } from './use-runs'
import { useSweep } from './use-sweep'
import { useChartExport } from './use-chart-export'
import type { SweepTrial } from '../../../shared/ipc'
import { t } from '../i18n'

export type TabId = 'training' | 'gradcheck' | 'dataset' | 'model' | 'predictions' | 'graph' | 'chapter6' | 'draw' | 'learned' | 'runs' | 'sweep'

/** Predictions refresh this often while training runs and the gallery is in view. */
const LIVE_PREDICTIONS_MS = 3000

/** The path dialog's texts in web mode, by request kind: keys of the path section of the catalogues. */
const PROMPTS: Record<Parameters<PathAsker>[0], string> = {
  dataset: 'dataset', 'open-model': 'openModel', 'save-model': 'saveModel',
  'export-npz': 'exportNpz', 'export-onnx': 'exportOnnx', 'import-npz': 'importNpz',
}
const promptText = (kind: Parameters<PathAsker>[0]): Omit<PathRequest, 'initial'> => {
  const key = `path.${PROMPTS[kind]}`
  return { title: t(`${key}.title`), hint: t(`${key}.hint`), confirm: t(`${key}.confirm`) }
}

/**
 * Everything the window shows, built once from the api and handed to components by
 * provide/inject. Menu events from the Electron menu land here.
 */
export function createStudio(api: BackpropApi) {
  const notifier = useNotifier()
  const prompt = usePathPrompt()
  const askPath: PathAsker = async (kind, initial = '') => {
    if (api.nativeDialogs) return null
    const path = await prompt.ask({ ...promptText(kind), initial })
    return path ?? undefined
  }
  const dataset = useDataset(api, notifier, askPath)
  const form = useTrainForm(dataset.shape)
  const training = useTraining(api, notifier)
  const model = useModel(api, notifier, askPath)
  const gradcheck = useGradCheck(api, notifier)
  const predictions = usePredictions(api)
  const layerStats = useLayerStats(api)
  const confusion = useConfusion(api)
  const runs = useRuns(api, notifier, () => model.load())
  const sweep = useSweep(api, notifier)
  const exportChart = useChartExport(api, notifier)
  const tab = ref<TabId>('training')
  const scheme = useColorScheme()

  const refreshPredictions = () => predictions.refresh(dataset.info.value?.testCount ?? 0)

  const onMenu = (action: MenuAction) => {
    if (action === 'open-dataset') { tab.value = 'dataset'; void dataset.open() }
    else if (action === 'open-model') { tab.value = 'model'; void model.open() }
    else if (action !== 'save-model') return // the keyboard shortcuts' commands: use-shortcuts.ts
    else if (model.model.value) { tab.value = 'model'; void model.save(true) }
    else notifier.info(t('notice.nothingToSave'), t('notice.nothingToSaveHint'))
  }
  const offMenu = api.onEvent((e) => { if (e.type === 'menu') onMenu(e.action) })
  onScopeDispose(offMenu)

  // the gallery follows the model: a new or opened model, a new dataset, live during training
  let lastLive = 0
  watch([model.model, dataset.version], () => { if (model.model.value) void refreshPredictions() })
  watch([model.model, dataset.version], confusion.markStale)
  watch(training.progress, () => {
    const now = Date.now()
    if (tab.value !== 'predictions' || predictions.loading.value || now - lastLive < LIVE_PREDICTIONS_MS) return
    lastLive = now
    void refreshPredictions()
  })

  return {
    api, notifier, prompt, dataset, form, training, model, gradcheck, predictions, tab, scheme, layerStats, confusion,
    runs, sweep, exportChart,
    onMenu, refreshPredictions,
    async init() {
      await Promise.all([dataset.load(), model.load(), training.attach(), runs.load(), sweep.attach()])
    },
    /** A sweep trial as a full run: its hyperparameters, the form's iterations and evaluation schedule. */
    async promote(trial: SweepTrial) {
      const config = form.config.value
      const full = config ? { ...trial.config, iters: config.iters, evalEvery: config.evalEvery, evalSamples: config.evalSamples } : trial.config
      tab.value = 'training'
      await training.start(full, false)
    },
    /** Fresh run from the form, or (resume) more iterations on the model in memory. */
    async train(resume: boolean) {
      const config = form.config.value
      if (!config) return
      const current = model.model.value
      if (resume) {
        if (!current) return
        await training.start({ ...config, network: current.network }, true, current.summary.iterations)
      } else {
        await training.start(config, false)
      }
    },
    async runGradCheck() {
      const config = form.config.value
      const current = model.model.value
      const network = gradcheck.useCurrentModel.value && current ? current.network : config?.network
      if (!network) { notifier.info(t('notice.cannotCheck'), t('notice.cannotCheckHint')); return }
      await gradcheck.run(network, config?.seed ?? 1)
    },
  }
}

export type Studio = ReturnType<typeof createStudio>

export const STUDIO_KEY: InjectionKey<Studio> = Symbol('studio')

export function useStudio(): Studio {
  const studio = inject(STUDIO_KEY)
  if (!studio) throw new Error('useStudio() needs createStudio() provided by an ancestor')
  return studio
}
