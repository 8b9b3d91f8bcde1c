import { mkdir } from 'node:fs/promises'
import { basename, extname, isAbsolute, join, resolve } from 'node:path'
import type { ResourceLimits } from 'node:worker_threads'
import { imageBytes } from '../../shared/data/image-bytes'
import { classCounts, emptyClasses } from '../../shared/data/class-counts'
import type { Dataset } from '../../shared/data/dataset'
import type { NetworkConfig } from '../../shared/engine/network-config'
import type { TrainConfig } from '../../shared/engine/train-config'
import { checkMemoryBudget, datasetDims, estimateGradCheckBytes, estimateWorkerBytes } from '../../shared/engine/memory-budget'
import { errorInfo } from '../../shared/error-info'
import { ConfigError, type FieldError } from '../../shared/schemas/config-error'
import { LIMITS } from '../../shared/schemas/limits'
import type {
  BackendEvent, BackendMethods, DatasetInfo, GradCheckResult, ModelInfo, Prediction, RecentModel,
  SampleImages, TrainingStatus,
} from '../../shared/ipc'
import type { LiveWeights, ModelConfusion } from '../../shared/ipc'
import type { ModelExport, NpzImportInfo } from '../../shared/ipc'
import { weightColumns } from '../../shared/live-weights'
import type { ImageClassification } from '../../shared/engine/classify-image'
import type { NetworkInspection } from '../../shared/engine/inspect-network'
import type { ModelFile } from '../../shared/model/model-file'
import { modelFromRun } from '../../shared/model/model-from-run'
import { startFrom } from '../../shared/model/start-from'
import type { GradientBug, TrainerStart, TrainProgress } from '../../shared/training-events'
import { defaultDatasetDir, loadDatasetFolder, loadDefaultDataset } from './dataset-loader'
import { sharedFileWorker } from './file-worker'
import { loadModel, saveModel, type ModelParser } from './model-store'
import { exportModelFile, importNpzFile, type NpzParser } from './model-interchange'
import { SettingsStore } from './settings-store'
import { atomicWriteFile } from './atomic-write'
import { RunStore, type RunStart } from './run-store'
import type { RunRecorder } from './run-recorder'
import { SweepBusyError, SweepService } from './sweep-service'
import { sweepTrials } from '../../shared/sweep/sweep-trials'
import type { ExportRequest, RunHistory, RunListing, RunSummary, SweepSpec, SweepStatus } from '../../shared/ipc'
import { TrainingService } from './training-service'
import { WorkerPool } from './worker-pool'

export type FileKind = 'open-dataset' | 'open-model' | 'save-model' | 'export-npz' | 'export-onnx' | 'import-npz' | 'export-file'

/** Asks the user for a path (a native dialog in Electron); null when they cancel. */
export type ChooseFile = (kind: FileKind, suggestedPath?: string) => Promise<string | null>

export interface BackendOptions {
  /** Holds `models/` (the default model folder) and `recent-models.json`. */
  userDataDir: string
  /** Worker threads; defaults to one per core. */
  poolSize?: number
  chooseFile?: ChooseFile
  /** Per-worker limits; defaults to DEFAULT_RESOURCE_LIMITS. */
  resourceLimits?: ResourceLimits
  /**
   * 'chosen' (Electron): a path from the renderer is used only if the user picked it in a dialog
   * this session, or it is on the recent list this back end wrote, so a compromised renderer
   * cannot read or overwrite arbitrary files. 'any' (web mode, the CLI): the caller is the local
   * owner, holding the token. Defaults to 'chosen' when chooseFile is given.
   */
  paths?: 'chosen' | 'any'
}

/** A call that needs a path got null, and there is no dialog to ask for one. */
export class PathRequiredError extends Error {
  override name = 'PathRequiredError'
}

/** A path the renderer sent that the user never chose (Electron only; see BackendOptions.paths). */
export class PathNotAllowedError extends Error {
  override name = 'PathNotAllowedError'
}

/** A call that needs the current model, when there is none. */
export class NoModelError extends Error {
  override name = 'NoModelError'
}

/** The current model does not fit the current dataset, or a resumed run's network differs from the model's. */
export class ModelMismatchError extends Error {
  override name = 'ModelMismatchError'
}

export const MAX_RECENT_MODELS = 10

interface CurrentModel {
  file: ModelFile
  path: string | null
  savedAt: string | null
  unsaved: boolean
}

interface RecentFile {
  paths: string[]
}

function parseRecent(raw: unknown): RecentFile {
  const paths = (raw as { paths?: unknown } | null)?.paths
  if (!Array.isArray(paths)) throw new TypeError('recent-models.json: paths: expected an array')
  return { paths: paths.filter((p): p is string => typeof p === 'string' && isAbsolute(p)).slice(0, MAX_RECENT_MODELS) }
}

/**
 * Everything behind the UI, in plain Node: the current dataset, the current model, the model
 * folder and recent list, and the training service with its worker pool. Electron's main process
 * and the web server both expose it through createDispatcher and forward its events.
 */
export class Backend implements BackendMethods {
  readonly modelsDir: string
  /** Every training run, under `<userDataDir>/runs`. */
  readonly runs: RunStore
  readonly sweeps: SweepService
  private readonly listeners = new Set<(e: BackendEvent) => void>()
  private readonly recent: SettingsStore<RecentFile>
  private model: CurrentModel | null = null
  private gradchecks = 0
  /** Gradient checks under way, each with the controller that cancels it. */
  private readonly runningChecks = new Set<AbortController>()
  /** Paths the user picked in a dialog this session. */
  private readonly chosen = new Set<string>()
  /** Model files are parsed on the file worker: a large or hostile file never blocks this thread. */
  private readonly parseModel: ModelParser = (bytes, source) => sharedFileWorker().parseModel(bytes, source)
  private readonly parseNpz: NpzParser = (bytes, source) => sharedFileWorker().parseNpz(bytes, source)

  private constructor(
    private readonly options: BackendOptions,
    private dataset: Dataset,
    private datasetInfo: DatasetInfo,
    readonly training: TrainingService,
  ) {
    this.modelsDir = join(options.userDataDir, 'models')
    this.recent = new SettingsStore(join(options.userDataDir, 'recent-models.json'), parseRecent, { paths: [] })
    this.runs = new RunStore(join(options.userDataDir, 'runs'), this.parseModel)
    this.sweeps = new SweepService(training.pool)
  }

  /** Loads the embedded MNIST; workers start when the first job needs them. */
  static async create(options: BackendOptions): Promise<Backend> {
    const dataset = await loadDefaultDataset()
    const pool = new WorkerPool({ size: options.poolSize, resourceLimits: options.resourceLimits, dataset })
    return new Backend(options, dataset, describeDataset(dataset, 'embedded', defaultDatasetDir()), new TrainingService(pool))
  }

  /** Subscribes to progress, finish and failure events; returns the unsubscribe function. */
  onEvent(listener: (e: BackendEvent) => void): () => void {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  /** Stops training, terminates the workers and waits for pending settings writes. */
  async dispose(): Promise<void> {
    await this.sweeps.dispose()
    await this.training.dispose()
    await this.runs.flush()
    await this.recent.flush()
    this.listeners.clear()
  }

  // ---- dataset ----

  async getDataset(_req: Record<string, never>): Promise<DatasetInfo> {
    return { ...this.datasetInfo }
  }

  /** On failure the error propagates and the current dataset stays. A running job keeps its own. */
  async openDataset(req: { path: string | null }): Promise<DatasetInfo | null> {
    const path = req.path ?? await this.choose('open-dataset', 'openDataset', this.datasetInfo.source === 'folder' ? this.datasetInfo.path : undefined)
    if (path === null) return null
    const folder = resolve(path)
    if (req.path !== null && folder !== resolve(defaultDatasetDir())) await this.checkAllowed(folder, 'openDataset')
    const embedded = folder === resolve(defaultDatasetDir())
    const dataset = embedded ? await loadDefaultDataset() : await loadDatasetFolder(folder)
    this.dataset = dataset
    this.datasetInfo = describeDataset(dataset, embedded ? 'embedded' : 'folder', folder)
    this.training.pool.setDataset(dataset)
    return { ...this.datasetInfo }
  }

  async datasetSamples(req: { split: 'train' | 'test'; start: number; count: number }): Promise<SampleImages> {
    const split = req.split === 'train' ? this.dataset.train : this.dataset.test
    const { start, count } = req
    if (start >= split.count) throw new RangeError(`datasetSamples: start ${start} is outside the ${split.count} ${req.split} images`)
    const n = Math.min(count, LIMITS.samplesPerCall, split.count - start)
    const size = this.dataset.rows * this.dataset.cols
    return {
      rows: this.dataset.rows,
      cols: this.dataset.cols,
      indices: Array.from({ length: n }, (_, i) => start + i),
      labels: Array.from(split.labels.subarray(start, start + n)),
      // a fresh ordinary buffer, out of the shared memory, that can cross any boundary
      pixels: imageBytes(split, size, start, n),
    }
  }

  // ---- training ----

  /**
   * Starts a run on the current dataset; with resume, continues the current model from its
   * params, PRNG state and iteration count, which needs config.network to equal the model's.
   */
  async startTraining(req: { config: TrainConfig; resume: boolean }): Promise<{ jobId: string }> {
    const { config } = req
    const problems = datasetFit(config.network, this.dataset, 'network')
    if (config.batchSize > this.dataset.train.count) {
      problems.push({ field: 'batchSize', message: `must be at most the ${this.dataset.train.count} training images of ${this.dataset.name}, got ${config.batchSize}` })
    }
    if (problems.length) throw new ConfigError(problems)
    checkMemoryBudget(estimateWorkerBytes(config, datasetDims(this.dataset)), 'batchSize')
    if (this.sweeps.running) throw new SweepBusyError('startTraining: a sweep is running; cancel it or let it finish first')
    let start: TrainerStart | undefined
    let history: ModelFile['history']
    if (req.resume) {
      const m = this.requireModel('startTraining (resume)')
      const diff = networkDifference(config.network, m.file.network)
      if (diff) throw new ModelMismatchError(`startTraining: config.${diff}; resuming needs the current model's network`)
      start = startFrom(m.file, config)
      history = m.file.history
    }
    let jobId = ''
    let recorder: RunRecorder | null = null
    // messages that arrive while the run's folder is being created are recorded once it exists
    let early: TrainProgress[] | null = []
    const job = this.training.start({
      config,
      start,
      onProgress: (progress) => {
        if (early) early.push(progress)
        else recorder?.progress(progress)
        this.emit({ type: 'train-progress', jobId, progress })
      },
    })
    jobId = job.id
    recorder = await this.beginRun({ config, startIter: start?.iterations ?? 0, dataset: { name: this.dataset.name, fingerprint: this.dataset.fingerprint } })
    for (const p of early) recorder?.progress(p)
    early = null
    job.result
      .then(async (result) => {
        const current: CurrentModel = { file: modelFromRun(config, result, new Date(), history), path: null, savedAt: null, unsaved: true }
        this.model = current
        const { stopped, summary, evals, seconds } = result
        this.emit({ type: 'train-finished', jobId, stopped, summary, evals, seconds, model: modelInfo(current) })
        await recorder?.finish(result, current.file)
      }, async (e: unknown) => {
        this.emit({ type: 'train-failed', jobId, error: errorInfo(e) })
        await recorder?.fail(errorInfo(e))
      })
      .catch((e: unknown) => process.emitWarning(`recording run of ${jobId}: ${errorInfo(e).message}`))
      .finally(() => { if (recorder) this.emit({ type: 'runs-changed' }) })
    return { jobId }
  }

  async controlTraining(req: { jobId: string; action: 'pause' | 'resume' | 'stop' | 'step' }): Promise<TrainingStatus> {
    return this.training.control(req.jobId, req.action)
  }

  async trainingStatus(_req: Record<string, never>): Promise<TrainingStatus> {
    return this.training.status()
  }

  /**
   * Runs beside training on another worker. useCurrentModel checks the current model's network
   * at its trained params (req.network is then ignored); otherwise a fresh net seeded by req.seed.
   */
  async gradientCheck(req: { network: NetworkConfig; seed: number; samples: number; useCurrentModel: boolean; bug?: GradientBug }): Promise<GradCheckResult> {
    const m = req.useCurrentModel ? this.requireModel('gradientCheck (current model)') : null
    if (m) this.checkModelFits(m, 'gradientCheck')
    else {
      const problems = datasetFit(req.network, this.dataset, 'network')
      if (problems.length) throw new ConfigError(problems)
    }
    const jobId = `gradcheck-${++this.gradchecks}`
    let finished = false
    const onProgress = (done: number, total: number) => {
      // the worker's last report may arrive after its result; a finished check reports nothing more
      if (!finished) this.emit({ type: 'gradcheck-progress', jobId, done, total })
    }
    // the view draws |Δ| per element; a bug, when asked for, lives only in this check's worker job
    const extra = { detail: true, ...(req.bug ? { bug: req.bug } : {}) }
    const request = m
      ? { network: m.file.network, seed: req.seed, samples: req.samples, params: m.file.params, ...extra }
      : { network: req.network, seed: req.seed, samples: req.samples, ...extra }
    checkMemoryBudget(estimateGradCheckBytes(request.network, Math.min(req.samples, this.dataset.train.count), datasetDims(this.dataset)), 'samples')
    const controller = new AbortController()
    this.runningChecks.add(controller)
    try {
      return await this.training.gradientCheck(request, onProgress, controller.signal)
    } finally {
      finished = true
      this.runningChecks.delete(controller)
    }
  }

  /** Cancels every gradient check under way: each gradientCheck call rejects with CancelledError. */
  async cancelGradientCheck(_req: Record<string, never>): Promise<{ cancelled: number }> {
    const checks = [...this.runningChecks]
    for (const c of checks) c.abort()
    return { cancelled: checks.length }
  }

  // ---- models ----

  async currentModel(_req: Record<string, never>): Promise<ModelInfo | null> {
    return this.model ? modelInfo(this.model) : null
  }

  /**
   * Saves the current model atomically. A null path asks chooseFile (suggesting the model's own
   * path or a name in the models folder); a relative path is taken inside the models folder.
   */
  async saveModel(req: { path: string | null }): Promise<ModelInfo | null> {
    const m = this.requireModel('saveModel')
    await mkdir(this.modelsDir, { recursive: true })
    const chosen = req.path ?? await this.choose('save-model', 'saveModel', m.path ?? join(this.modelsDir, suggestedName(m.file)))
    if (chosen === null) return null
    const path = this.modelPath(chosen)
    if (req.path !== null && path !== m.path) await this.checkAllowed(path, 'saveModel')
    const file: ModelFile = { ...m.file, savedAt: new Date().toISOString() }
    await saveModel(path, file)
    const saved: CurrentModel = { file, path, savedAt: file.savedAt, unsaved: false }
    // a run that finished during the save has made its own model current; keep that one
    if (this.model === m) this.model = saved
    await this.remember(path)
    return modelInfo(saved)
  }

  /** Opens and validates a model file. One that does not fit the dataset opens, but cannot evaluate, predict or resume. */
  async openModel(req: { path: string | null }): Promise<ModelInfo | null> {
    if (req.path === null) await mkdir(this.modelsDir, { recursive: true })
    const chosen = req.path ?? await this.choose('open-model', 'openModel', this.modelsDir)
    if (chosen === null) return null
    const path = this.modelPath(chosen)
    if (req.path !== null) await this.checkAllowed(path, 'openModel')
    const { model: file } = await loadModel(path, this.parseModel)
    const opened: CurrentModel = { file, path, savedAt: file.savedAt, unsaved: false }
    this.model = opened
    await this.remember(path)
    return modelInfo(opened)
  }

  /** Most recent first; files that no longer load are dropped from the list. */
  async recentModels(_req: Record<string, never>): Promise<RecentModel[]> {
    const { paths } = await this.recent.get()
    const listed: RecentModel[] = []
    const gone: string[] = []
    for (const path of paths) {
      try {
        const { model: file, sizeBytes } = await loadModel(path, this.parseModel)
        listed.push({ path, name: basename(path, extname(path)), savedAt: file.savedAt, testAcc: file.summary.testAcc, sizeBytes })
      } catch {
        gone.push(path)
      }
    }
    if (gone.length) {
      await this.recent.update((r) => ({ paths: r.paths.filter((p) => !gone.includes(p)) })).catch((e: unknown) => {
        process.emitWarning(`cannot update ${this.recent.file}: ${errorInfo(e).message}`)
      })
    }
    return listed
  }

  /** Accuracy of the current model on the current dataset; evalSamples 0 means every image. */
  async evaluateModel(req: { evalSamples: number }): Promise<{ trainAcc: number; testAcc: number }> {
    const m = this.requireModel('evaluateModel')
    this.checkModelFits(m, 'evaluateModel')
    return this.training.evaluate({ network: m.file.network, params: m.file.params, evalSamples: req.evalSamples })
  }

  /** The current model's class probabilities for test images. */
  async predict(req: { indices: number[] }): Promise<Prediction[]> {
    const m = this.requireModel('predict')
    this.checkModelFits(m, 'predict')
    const { indices } = req
    const count = this.dataset.test.count
    const bad = indices.findIndex((i) => i >= count)
    if (bad >= 0) throw new RangeError(`predict: indices[${bad}] = ${indices[bad]} is outside the ${count} test images`)
    return this.training.predict({ network: m.file.network, params: m.file.params, indices })
  }

  /** Needs only a model whose input is one value per pixel sent: the dataset plays no part. */
  async predictImage(req: { pixels: number[] }): Promise<ImageClassification> {
    const m = this.requireModel('predictImage')
    const { network, params } = m.file
    if (network.inputSize !== req.pixels.length) {
      throw new ModelMismatchError(`predictImage: the current model takes ${network.inputSize} inputs, the image has ${req.pixels.length} pixels`)
    }
    return this.training.classifyImage({ network, params, pixels: req.pixels })
  }

  /**
   * One training batch forward and backward, layer by layer, on another worker than training's.
   * useCurrentModel inspects the current model (req.network is then ignored); otherwise a fresh
   * net seeded by req.seed, as a training run with that seed would start.
   */
  async inspectBatch(req: { network: NetworkConfig; batchSize: number; seed: number; useCurrentModel: boolean }): Promise<NetworkInspection> {
    const m = req.useCurrentModel ? this.requireModel('inspectBatch (current model)') : null
    if (m) this.checkModelFits(m, 'inspectBatch')
    else {
      const problems = datasetFit(req.network, this.dataset, 'network')
      if (problems.length) throw new ConfigError(problems)
    }
    const network = m ? m.file.network : req.network
    const batchSize = Math.min(req.batchSize, this.dataset.train.count)
    // the same footprint as a gradient check on that many images: the dense batch and its buffers
    checkMemoryBudget(estimateGradCheckBytes(network, batchSize, datasetDims(this.dataset)), 'batchSize')
    return this.training.inspectBatch({ network, batchSize, seed: req.seed, ...(m ? { params: m.file.params } : {}) })
  }

  /** Images by index, in the order asked, e.g. the cells of a confusion matrix. */
  async datasetImages(req: { split: 'train' | 'test'; indices: number[] }): Promise<SampleImages> {
    const split = req.split === 'train' ? this.dataset.train : this.dataset.test
    const { indices } = req
    const bad = indices.findIndex((i) => i >= split.count)
    if (bad >= 0) throw new RangeError(`datasetImages: indices[${bad}] = ${indices[bad]} is outside the ${split.count} ${req.split} images`)
    const size = this.dataset.rows * this.dataset.cols
    const pixels = new Uint8Array(indices.length * size)
    indices.forEach((i, k) => pixels.set(imageBytes(split, size, i, 1), k * size))
    return { rows: this.dataset.rows, cols: this.dataset.cols, indices: [...indices], labels: indices.map((i) => split.labels[i]), pixels }
  }

  /**
   * The first columns of W_layer: while a job trains, its weights now (its worker takes them
   * between steps); otherwise the current model's. Null when there is neither.
   */
  async liveWeights(req: { layer: number }): Promise<LiveWeights | null> {
    const live = await this.training.liveWeights(req.layer)
    if (live) return live
    const m = this.model
    if (!m) return null
    const W = m.file.params.find((p) => p.name === `W${req.layer}`)
    if (!W) throw new RangeError(`liveWeights: layer ${req.layer}: the current model has ${m.file.network.hiddenSizes.length + 1} weight matrices`)
    const [inputs, units] = W.shape
    return { layer: req.layer, iterations: m.file.summary.iterations, inputs, units, data: weightColumns(W.data, inputs, units), source: 'model' }
  }

  /** The current model's predictions on the whole test split, counted by (label, prediction), on a worker. */
  async confusionMatrix(_req: Record<string, never>): Promise<ModelConfusion> {
    const m = this.requireModel('confusionMatrix')
    this.checkModelFits(m, 'confusionMatrix')
    const c = await this.training.confusion({ network: m.file.network, params: m.file.params })
    return { ...c, iterations: m.file.summary.iterations }
  }

  /**
   * Writes the current model as an .npz (the book's arrays and config.json) or an ONNX graph,
   * atomically. A null path asks chooseFile, suggesting the model's name with the format's extension.
   */
  async exportModel(req: { format: 'npz' | 'onnx'; path: string | null }): Promise<ModelExport | null> {
    const m = this.requireModel('exportModel')
    const kind = req.format === 'npz' ? 'export-npz' : 'export-onnx'
    await mkdir(this.modelsDir, { recursive: true })
    const base = m.path ?? join(this.modelsDir, suggestedName(m.file))
    const chosen = req.path ?? await this.choose(kind, 'exportModel', `${base.slice(0, base.length - extname(base).length)}.${req.format}`)
    if (chosen === null) return null
    const path = this.modelPath(chosen)
    if (req.path !== null) await this.checkAllowed(path, 'exportModel')
    const sizeBytes = await exportModelFile(path, m.file, req.format)
    return { path, format: req.format, sizeBytes }
  }

  /**
   * Makes the model in an .npz current (unsaved). When it fits the current dataset it is
   * evaluated on every image, so its recorded accuracies are real; the notes say what was assumed.
   */
  async importNpz(req: { path: string | null }): Promise<NpzImportInfo | null> {
    if (req.path === null) await mkdir(this.modelsDir, { recursive: true })
    const chosen = req.path ?? await this.choose('import-npz', 'importNpz', this.modelsDir)
    if (chosen === null) return null
    const path = this.modelPath(chosen)
    if (req.path !== null) await this.checkAllowed(path, 'importNpz')
    const { model: file, notes } = await importNpzFile(path, this.parseNpz)
    if (datasetFit(file.network, this.dataset, 'model').length === 0) {
      const acc = await this.training.evaluate({ network: file.network, params: file.params, evalSamples: 0 })
      file.summary = { ...file.summary, ...acc, dataset: { name: this.dataset.name, fingerprint: this.dataset.fingerprint } }
    } else {
      notes.push(`not evaluated: a ${[file.network.inputSize, ...file.network.hiddenSizes, file.network.outputSize].join('-')} network does not fit ${this.dataset.name}`)
    }
    const imported: CurrentModel = { file, path: null, savedAt: null, unsaved: true }
    this.model = imported
    return { model: modelInfo(imported), notes }
  }

  // ---- runs ----

  async listRuns(_req: Record<string, never>): Promise<RunListing> {
    return this.runs.list()
  }

  async runHistory(req: { id: string }): Promise<RunHistory> {
    return this.runs.history(req.id)
  }

  async renameRun(req: { id: string; name: string }): Promise<RunSummary> {
    const summary = await this.runs.rename(req.id, req.name.trim())
    this.emit({ type: 'runs-changed' })
    return summary
  }

  async deleteRun(req: { id: string }): Promise<{ deleted: string }> {
    await this.runs.remove(req.id)
    this.emit({ type: 'runs-changed' })
    return { deleted: req.id }
  }

  /** The run's final model becomes current, unsaved, as if the run had just ended. */
  async openRunModel(req: { id: string }): Promise<ModelInfo> {
    const file = await this.runs.model(req.id)
    const current: CurrentModel = { file, path: null, savedAt: null, unsaved: true }
    this.model = current
    return modelInfo(current)
  }

  async runCsv(req: { id: string }): Promise<{ fileName: string; csv: string }> {
    return this.runs.csv(req.id)
  }

  /**
   * Writes a run's CSV or a chart image atomically to a path the user chose (null path: a
   * dialog, suggesting the file name in the models folder). PNG data comes as a data URL.
   */
  async saveExport(req: ExportRequest): Promise<{ path: string } | null> {
    await mkdir(this.modelsDir, { recursive: true })
    const chosen = req.path ?? await this.choose('export-file', 'saveExport', join(this.modelsDir, req.fileName))
    if (chosen === null) return null
    const path = this.modelPath(chosen)
    if (req.path !== null) await this.checkAllowed(path, 'saveExport')
    let bytes: string | Uint8Array = req.data
    if (req.kind === 'png') {
      const m = /^data:image\/png;base64,([A-Za-z0-9+/=]*)$/.exec(req.data)
      if (!m) throw new TypeError('saveExport: data: a PNG must come as a data:image/png;base64 URL')
      bytes = new Uint8Array(Buffer.from(m[1], 'base64'))
    }
    await atomicWriteFile(path, bytes)
    return { path }
  }

  // ---- sweeps ----

  /**
   * Runs every trial of the sweep on the pool, as many at once as it has workers. Refused while
   * a run trains; a run is refused while the sweep runs. Each trial must fit the dataset and the
   * per-worker memory budget.
   */
  async startSweep(req: { spec: SweepSpec }): Promise<{ sweepId: string; trials: number }> {
    const busy = this.training.status()
    if (busy.jobId !== null) throw new SweepBusyError(`startSweep: training job ${busy.jobId} is running; stop it or let it finish first`)
    const configs = sweepTrials(req.spec)
    for (const [i, config] of configs.entries()) {
      const problems = datasetFit(config.network, this.dataset, 'base.network')
      if (config.batchSize > this.dataset.train.count) problems.push({ field: 'space.batchSize', message: `must be at most the ${this.dataset.train.count} training images of ${this.dataset.name}, got ${config.batchSize} (trial ${i + 1})` })
      if (problems.length) throw new ConfigError(problems)
      checkMemoryBudget(estimateWorkerBytes(config, datasetDims(this.dataset)), 'space.batchSize')
    }
    const { sweepId } = this.sweeps.start(req.spec.mode, configs, {
      trial: (sweepId, trial) => this.emit({ type: 'sweep-trial', sweepId, trial }),
      finished: (sweepId, status) => this.emit({ type: 'sweep-finished', sweepId, status }),
    })
    return { sweepId, trials: configs.length }
  }

  async cancelSweep(_req: Record<string, never>): Promise<SweepStatus> {
    return this.sweeps.cancel()
  }

  async sweepStatus(_req: Record<string, never>): Promise<SweepStatus> {
    return this.sweeps.status()
  }

  // ---- helpers ----

  /** Recording must never keep a run from training: a store that cannot be written only warns. */
  private async beginRun(start: RunStart): Promise<RunRecorder | null> {
    try {
      const recorder = await this.runs.begin(start)
      this.emit({ type: 'runs-changed' })
      return recorder
    } catch (e) {
      process.emitWarning(`cannot record the run in ${this.runs.dir}: ${errorInfo(e).message}`)
      return null
    }
  }


  private emit(e: BackendEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(e)
      } catch (error) {
        process.emitWarning(`a backend event listener threw on ${e.type}: ${errorInfo(error).message}`)
      }
    }
  }

  private async choose(kind: FileKind, method: string, suggested?: string): Promise<string | null> {
    const chooseFile = this.options.chooseFile
    if (!chooseFile) throw new PathRequiredError(`${method}: a path is required (no file dialog is available here)`)
    const path = await chooseFile(kind, suggested)
    if (path !== null) this.chosen.add(kind === 'open-dataset' ? resolve(path) : this.modelPath(path))
    return path
  }

  private modelPath(path: string): string {
    return resolve(this.modelsDir, path)
  }

  private async checkAllowed(path: string, method: string): Promise<void> {
    const policy = this.options.paths ?? (this.options.chooseFile ? 'chosen' : 'any')
    if (policy === 'any' || this.chosen.has(path)) return
    if ((await this.recent.get()).paths.includes(path)) return
    throw new PathNotAllowedError(`${method}: ${path} was not chosen in a file dialog in this session; choose it with Open… or Save As…`)
  }

  private requireModel(method: string): CurrentModel {
    if (!this.model) throw new NoModelError(`${method}: there is no current model; train one or open a model file first`)
    return this.model
  }

  private checkModelFits(m: CurrentModel, method: string): void {
    const problems = datasetFit(m.file.network, this.dataset, 'model')
    if (problems.length) throw new ModelMismatchError(`${method}: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`)
  }

  /** The list is a convenience: failing to write it must not fail the save or open that succeeded. */
  private async remember(path: string): Promise<void> {
    try {
      await this.recent.update((r) => ({ paths: [path, ...r.paths.filter((p) => p !== path)].slice(0, MAX_RECENT_MODELS) }))
    } catch (e) {
      process.emitWarning(`cannot update ${this.recent.file}: ${errorInfo(e).message}`)
    }
  }
}

function describeDataset(d: Dataset, source: DatasetInfo['source'], path: string): DatasetInfo {
  const trainClassCounts = classCounts(d.train.labels, d.classes)
  return {
    name: d.name,
    source,
    path,
    fingerprint: d.fingerprint,
    rows: d.rows,
    cols: d.cols,
    classes: d.classes,
    trainCount: d.train.count,
    testCount: d.test.count,
    trainClassCounts,
    testClassCounts: classCounts(d.test.labels, d.classes),
    emptyClasses: emptyClasses(trainClassCounts),
  }
}

/** Why `network` cannot run on `d`: one pixel per input, and an output for every class. */
function datasetFit(network: NetworkConfig, d: Dataset, prefix: string): FieldError[] {
  const problems: FieldError[] = []
  const pixels = d.rows * d.cols
  if (network.inputSize !== pixels) {
    problems.push({ field: `${prefix}.inputSize`, message: `must be ${pixels} (${d.rows}×${d.cols} pixels per image of ${d.name}), got ${network.inputSize}` })
  }
  if (network.outputSize < d.classes) {
    problems.push({ field: `${prefix}.outputSize`, message: `must be at least the ${d.classes} classes of ${d.name}, got ${network.outputSize}` })
  }
  return problems
}

/** The first field where a differs from the model's b, as `network.<field>: …`, or null. */
function networkDifference(a: NetworkConfig, b: NetworkConfig): string | null {
  const show = (v: unknown) => JSON.stringify(v)
  const fields: [string, unknown, unknown][] = [
    ['inputSize', a.inputSize, b.inputSize],
    ['hiddenSizes', a.hiddenSizes, b.hiddenSizes],
    ['outputSize', a.outputSize, b.outputSize],
    ['activation', a.activation, b.activation],
    ['weightInit', a.weightInit, b.weightInit],
    ['batchnorm', a.batchnorm ?? false, b.batchnorm ?? false],
  ]
  for (const [field, x, y] of fields) {
    if (show(x) !== show(y)) return `network.${field} is ${show(x)} but the current model has ${show(y)}`
  }
  return null
}

function modelInfo(m: CurrentModel): ModelInfo {
  const { network, training, summary, params } = m.file
  return {
    path: m.path,
    savedAt: m.savedAt,
    network: structuredClone(network),
    training: structuredClone(training),
    summary: structuredClone(summary),
    parameterCount: params.reduce((n, p) => n + p.data.length, 0),
    unsaved: m.unsaved,
  }
}

/** e.g. `mnist-784-50-10-2000it.json` */
function suggestedName(file: ModelFile): string {
  const n = file.network
  const data = file.summary.dataset.name.toLowerCase().replace(/\(.*?\)/g, '').trim().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'model'
  return `${data}-${[n.inputSize, ...n.hiddenSizes, n.outputSize].join('-')}-${file.summary.iterations}it.json`
}

