import type { BackendEvent, BackendMethods, BackpropApi, DatasetInfo, ModelInfo, SampleImages } from '../../shared/ipc'
import { BOOK_TRAINING } from '../../shared/engine/train-config'

export const TINY_DATASET: DatasetInfo = {
  name: 'Tiny digits', source: 'folder', path: '/data/tiny', fingerprint: 'abc',
  rows: 2, cols: 2, classes: 3, trainCount: 1000, testCount: 6,
  trainClassCounts: [334, 333, 333], testClassCounts: [2, 2, 2], emptyClasses: [],
}

export function tinySamples(start: number, count: number): SampleImages {
  const indices = Array.from({ length: count }, (_, k) => start + k)
  return { rows: 2, cols: 2, indices, labels: indices.map((i) => i % 3), pixels: new Uint8Array(count * 4).fill(128) }
}

export function tinyModel(overrides: Partial<ModelInfo> = {}): ModelInfo {
  const { network, ...training } = BOOK_TRAINING
  return {
    path: null, savedAt: null,
    network: { ...network, inputSize: 4, hiddenSizes: [5], outputSize: 3 },
    training,
    summary: { iterations: 300, loss: 0.5, trainAcc: 0.9, testAcc: 0.875, dataset: { name: TINY_DATASET.name, fingerprint: 'abc' } },
    parameterCount: 4 * 5 + 5 + 5 * 3 + 3,
    unsaved: true,
    ...overrides,
  }
}

export interface FakeApi {
  api: BackpropApi
  /** Every call made, in order. */
  calls: { method: keyof BackendMethods; req: unknown }[]
  emit(e: BackendEvent): void
  listenerCount(): number
}

/**
 * A BackpropApi in memory: answers with small fixed data unless a method is overridden,
 * and delivers events only when the test emits them.
 */
export function createFakeApi(overrides: Partial<BackendMethods> = {}, nativeDialogs = false): FakeApi {
  const listeners = new Set<(e: BackendEvent) => void>()
  const calls: FakeApi['calls'] = []
  let job = 0
  const defaults: BackendMethods = {
    getDataset: async () => TINY_DATASET,
    openDataset: async (req) => ({ ...TINY_DATASET, path: req.path ?? '/picked', name: 'Other' }),
    datasetSamples: async (req) => tinySamples(req.start, req.count),
    startTraining: async () => ({ jobId: `job-${++job}` }),
    controlTraining: async (req) => ({ jobId: req.jobId, state: req.action === 'pause' ? 'paused' : req.action === 'stop' ? 'stopping' : 'running', config: null }),
    trainingStatus: async () => ({ jobId: null, state: 'idle', config: null }),
    gradientCheck: async () => ({ params: [], seconds: 0.1 }),
    cancelGradientCheck: async () => ({ cancelled: 0 }),
    currentModel: async () => null,
    saveModel: async (req) => tinyModel({ path: req.path ?? '/dialog/model.json', savedAt: '2025-01-01T00:00:00.000Z', unsaved: false }),
    openModel: async (req) => tinyModel({ path: req.path ?? '/dialog/model.json', savedAt: '2025-01-01T00:00:00.000Z', unsaved: false }),
    recentModels: async () => [],
    evaluateModel: async () => ({ trainAcc: 0.9, testAcc: 0.875 }),
    predict: async (req) => req.indices.map((index) => ({ index, label: index % 3, predicted: 0, probs: Float64Array.from([0.7, 0.2, 0.1]) })),
  }
  const methods = { ...defaults, ...overrides }
  const wrapped = Object.fromEntries(Object.entries(methods).map(([name, fn]) => [name, (req: unknown) => {
    calls.push({ method: name as keyof BackendMethods, req })
    return (fn as (r: unknown) => Promise<unknown>)(req)
  }])) as unknown as BackendMethods
  const api: BackpropApi = {
    ...wrapped,
    platform: 'web',
    nativeDialogs,
    onEvent(listener) {
      listeners.add(listener)
      return () => { listeners.delete(listener) }
    },
  }
  return {
    api, calls,
    emit(e) { for (const l of [...listeners]) l(e) },
    listenerCount: () => listeners.size,
  }
}

/** Lets pending promise callbacks (and Vue's scheduler) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0))
}
