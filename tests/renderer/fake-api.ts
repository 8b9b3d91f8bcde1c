import type { BackendEvent, BackendMethods, BackpropApi, DatasetInfo, ModelConfusion, ModelInfo, RunSummary, SampleImages } from '../../shared/ipc'
import { BOOK_TRAINING } from '../../shared/engine/train-config'
import { classifyImage } from '../../shared/engine/classify-image'
import { inspectNetwork } from '../../shared/engine/inspect-network'
import { fromArray } from '../../shared/engine/matrix'
import { MultiLayerNet } from '../../shared/engine/multi-layer-net'
import { Random } from '../../shared/engine/random'

export const TINY_DATASET: DatasetInfo = {
  name: 'Tiny digits', source: 'folder', path: '/data/tiny', fingerprint: 'abc',
  rows: 2, cols: 2, classes: 3, trainCount: 1000, testCount: 6,
  trainClassCounts: [334, 333, 333], testClassCounts: [2, 2, 2], emptyClasses: [],
}

export function tinySamples(start: number, count: number): SampleImages {
  const indices = Array.from({ length: count }, (_, k) => start + k)
  return { rows: 2, cols: 2, indices, labels: indices.map((i) => i % 3), pixels: new Uint8Array(count * 4).fill(128) }
}

export function tinyRun(id: string, lr: number): RunSummary {
  return {
    id, name: `784-50-10 sgd lr ${lr}`, startedAt: '2025-01-01T00:00:00.000Z', seconds: 12, status: 'finished',
    config: { ...BOOK_TRAINING, lr }, dataset: { name: TINY_DATASET.name, fingerprint: 'abc' },
    iterations: 50, loss: 0.04, trainAcc: 0.9, testAcc: 0.85, hasModel: true,
  }
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

/** The tiny test split (labels i % 3) as a model predicting class 0 for every image would count it. */
export function tinyConfusion(): ModelConfusion {
  const labels = Uint8Array.from({ length: 6 }, (_, i) => i % 3)
  const counts = new Int32Array(9)
  for (const t of labels) counts[t * 3]++
  return {
    classes: 3, total: 6, correct: 2, counts, labels, predicted: new Uint8Array(6),
    confidence: Float32Array.from(labels, (t) => 0.9 - 0.1 * t), iterations: 300,
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
    // the engine's own functions on small fresh nets: real numbers of the right shapes
    predictImage: async (req) => classifyImage(new MultiLayerNet({ ...BOOK_TRAINING.network, inputSize: req.pixels.length, hiddenSizes: [5], outputSize: 3 }, new Random(1)), req.pixels),
    inspectBatch: async (req) => {
      const net = new MultiLayerNet({ ...req.network, inputSize: 4 }, new Random(req.seed), 'reference')
      const rng = new Random(req.seed + 1)
      const x = fromArray(req.batchSize, 4, Array.from({ length: req.batchSize * 4 }, () => rng.next()))
      return inspectNetwork(net, x, Int32Array.from({ length: req.batchSize }, (_, n) => n % req.network.outputSize))
    },
    datasetImages: async (req) => ({ ...tinySamples(0, req.indices.length), indices: req.indices, labels: req.indices.map((i) => i % 3) }),
    liveWeights: async () => null,
    confusionMatrix: async () => tinyConfusion(),
    exportModel: async (req) => ({ path: req.path ?? `/dialog/model.${req.format}`, format: req.format, sizeBytes: 1234 }),
    importNpz: async () => ({ model: tinyModel(), notes: ['no config.json in book.npz: relu assumed (the book\'s default)'] }),
    listRuns: async () => ({ runs: [tinyRun('20250101-000000-aaaaaa', 0.1), tinyRun('20250102-000000-bbbbbb', 0.5)], damaged: [] }),
    runHistory: async (req) => ({
      id: req.id, name: `run ${req.id}`,
      lossIters: Float64Array.from({ length: 50 }, (_, i) => i + 1),
      losses: Float64Array.from({ length: 50 }, (_, i) => 2 / (i + 1)),
      evals: [{ iter: 0, epoch: 0, loss: 2, trainAcc: 0.1, testAcc: 0.1 }, { iter: 49, epoch: 1, loss: 0.04, trainAcc: 0.9, testAcc: 0.85 }],
    }),
    renameRun: async (req) => ({ ...tinyRun(req.id, 0.1), name: req.name }),
    deleteRun: async (req) => ({ deleted: req.id }),
    openRunModel: async () => tinyModel(),
    runCsv: async (req) => ({ fileName: `run-${req.id}.csv`, csv: 'iteration,loss,train_acc,test_acc\n1,2,,\n' }),
    saveExport: async (req) => ({ path: req.path ?? `/dialog/${req.fileName}` }),
    startSweep: async (req) => ({ sweepId: 'sweep-1', trials: req.spec.trials }),
    cancelSweep: async () => ({ sweepId: 'sweep-1', state: 'cancelling', mode: 'grid', trials: [], concurrency: 2 }),
    sweepStatus: async () => ({ sweepId: null, state: 'idle', mode: null, trials: [], concurrency: 0 }),
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
