import type { Dataset } from '../../shared/data/dataset'
import { fillBatch } from '../../shared/data/fill-batch'
import { CancelledError } from '../../shared/engine/cancelled-error'
import { zeros } from '../../shared/engine/matrix'
import { MultiLayerNet } from '../../shared/engine/multi-layer-net'
import type { NamedParam, NetworkConfig } from '../../shared/engine/network-config'
import { Random } from '../../shared/engine/random'
import { Trainer, type EvalReport } from '../../shared/engine/trainer'
import type { Params } from '../../shared/engine/params'
import { optimizerOf } from '../../shared/engine/train-config'
import { Watchdog, type WatchdogAlarm } from '../../shared/engine/watchdog'
import { confusion as confusionOf, type Confusion } from '../../shared/engine/confusion'
import type { LayerStatsSample } from '../../shared/engine/layer-stats'
import { LayerStatsProbe } from '../../shared/engine/layer-stats-probe'
import { weightColumns, type LiveWeights } from '../../shared/live-weights'
import { runGradientCheck } from './gradient-check-job'
import { collectGarbage } from './collect-garbage'
import { startKernelHelper } from './kernel-helper-thread'
import type { KernelHelperClient } from '../../shared/engine/kernel-helper'
import { BatchSampler } from '../../shared/engine/batch-sampler'
import { classifyImage, type ImageClassification } from '../../shared/engine/classify-image'
import { inspectNetwork, type NetworkInspection } from '../../shared/engine/inspect-network'
import {
  CONTROL, PAUSE, PROGRESS_FLUSH_MS, QUIT, RUN, STOP,
  type ConfusionRequest, type EvaluateRequest, type GradCheckRequest, type GradCheckResult, type Prediction,
  type EvalSnapshot, type PredictRequest, type TrainProgress, type TrainRequest, type TrainResult,
} from '../../shared/training-events'

/** How long a run waits for its kernel helper thread to start (it runs alone if that passes). */
const HELPER_START_MS = 2000

export class NoDatasetError extends Error {
  override name = 'NoDatasetError'
  constructor() { super('no dataset loaded in this worker') }
}

export class DatasetMismatchError extends Error {
  override name = 'DatasetMismatchError'
}

/**
 * What a training worker exposes through Comlink. Plain data in and out; callbacks arrive
 * as Comlink proxies. A job is steered through `control`, an Int32Array over a
 * SharedArrayBuffer, because a worker busy in its loop cannot read messages.
 */
export function createTrainingApi() {
  let data: Dataset | null = null
  /** This worker's kernel helper thread, started by the first run that asks for two threads. */
  let helper: KernelHelperClient | null = null
  let evaluator: { key: string; trainer: Trainer } | null = null

  const dataset = (): Dataset => {
    if (!data) throw new NoDatasetError()
    return data
  }

  const checkShape = (network: NetworkConfig, d: Dataset) => {
    if (network.inputSize !== d.rows * d.cols) {
      throw new DatasetMismatchError(`the network takes ${network.inputSize} inputs, but ${d.name} has ${d.rows}×${d.cols} = ${d.rows * d.cols} pixels per image`)
    }
    if (network.outputSize < d.classes) {
      throw new DatasetMismatchError(`the network has ${network.outputSize} outputs, but ${d.name} has ${d.classes} classes`)
    }
  }

  const netFrom = (network: NetworkConfig, params: NamedParam[]) => {
    const net = new MultiLayerNet(network, new Random(0))
    net.importParams(params)
    return net
  }

  return {
    /** Images and labels arrive over SharedArrayBuffers: shared with the main thread, not copied. */
    setDataset(d: Dataset): { name: string; train: number; test: number } {
      data = d
      return { name: d.name, train: d.train.count, test: d.test.count }
    },

    async train(req: TrainRequest, control: Int32Array, onProgress: (p: TrainProgress) => void | Promise<void>): Promise<TrainResult> {
      const { config } = req
      const d = dataset()
      checkShape(config.network, d)
      if (config.batchSize > d.train.count) {
        throw new DatasetMismatchError(`batchSize ${config.batchSize} exceeds the ${d.train.count} training images of ${d.name}`)
      }
      const twoCores = req.threads === 2 && req.engine !== 'reference'
      if (twoCores) {
        helper ??= startKernelHelper()
        // the last run's layers are garbage now: both threads let go of their shared memories
        helper.detachAll()
        collectGarbage()
      }
      const trainer = new Trainer(config, d, req.start, { engine: req.engine, helper: twoCores ? helper : null })
      const firstIter = trainer.iterations
      const t0 = performance.now()
      let evalMs = 0
      let lastFlush = t0
      let pending: number[] = []
      let pendingStart = 0
      let pendingEvals: EvalReport[] = []
      let pendingSnapshots: EvalSnapshot[] = []
      let pendingAlarm: WatchdogAlarm | null = null
      let lastAlarm: WatchdogAlarm | null = null
      /** The loss of every iteration of this run, for the model's history. */
      const losses: number[] = []
      let pendingStats: LayerStatsSample | null = null
      let pendingWeights: LiveWeights | null = null
      const probe = new LayerStatsProbe()
      /** The newest snapshot not yet sent; a newer one replaces it. */
      let held: EvalSnapshot | null = null
      const evals: EvalReport[] = []
      const stopRequested = () => Atomics.load(control, CONTROL.STATE) >= STOP
      const quitRequested = () => Atomics.load(control, CONTROL.STATE) === QUIT

      const flush = (state: TrainProgress['state']): Promise<void> => {
        const now = performance.now()
        const done = trainer.iterations - firstIter
        const trainMs = now - t0 - evalMs
        const rate = done > 0 && trainMs > 0 ? done / (trainMs / 1000) : 0
        const sent = onProgress({
          iter: done,
          totalIters: config.iters,
          epoch: trainer.iterations / trainer.itersPerEpoch,
          elapsedMs: now - t0,
          etaMs: rate > 0 ? ((config.iters - done) / rate) * 1000 * (1 + evalMs / Math.max(trainMs, 1)) : Number.NaN,
          itersPerSecond: rate,
          lossStart: pendingStart,
          losses: Float64Array.from(pending),
          evals: pendingEvals,
          state,
          ...(pendingSnapshots.length ? { snapshots: pendingSnapshots } : {}),
          ...(pendingAlarm ? { watchdog: pendingAlarm } : {}),
          ...(pendingStats ? { layerStats: pendingStats } : {}),
          ...(pendingWeights ? { weights: pendingWeights } : {}),
        })
        pending = []
        pendingStart = done
        pendingEvals = []
        pendingSnapshots = []
        pendingAlarm = null
        pendingStats = null
        pendingWeights = null
        lastFlush = now
        // A listener that fails must not fail the run, nor become an unhandled rejection here.
        return Promise.resolve(sent).catch(() => undefined)
      }

      // Only an evaluation slow enough to be seen is announced, so that frequent quick ones
      // (a small evalEvery and evalSamples) cannot push progress beyond ~20 messages a second.
      let lastEvalMs = Number.POSITIVE_INFINITY
      const runEval = (shouldStop?: () => boolean) => {
        if (lastEvalMs >= PROGRESS_FLUSH_MS) flush('evaluating')
        const e0 = performance.now()
        const report = trainer.evaluate(shouldStop)
        lastEvalMs = performance.now() - e0
        evalMs += lastEvalMs
        if (report) { evals.push(report); pendingEvals.push(report) }
        return report
      }

      // Hands the weights to the main process, which evaluates them on another worker. Only once
      // the main process has taken the previous snapshot (CONTROL.SNAPSHOT back to 0) does the
      // next one go; until then the newest is held here, so memory stays flat at evalEvery 1.
      const snapshot = () => {
        held = { iter: trainer.iterations - 1, epoch: trainer.iterations / trainer.itersPerEpoch, loss: trainer.lastLoss, params: trainer.net.exportParams() }
        sendHeld()
      }
      const sendHeld = () => {
        if (!held || Atomics.compareExchange(control, CONTROL.SNAPSHOT, 0, 1) !== 0) return
        pendingSnapshots.push(held)
        held = null
        flush(Atomics.load(control, CONTROL.STATE) === PAUSE ? 'paused' : 'running')
      }

      // The main process asks for one layer's weights through CONTROL.WEIGHTS (at most one
      // request at a time); they go out at once, between steps, paused or not.
      const sendWeights = () => {
        const layer = Atomics.load(control, CONTROL.WEIGHTS)
        if (layer === 0) return
        const affine = trainer.net.affines[layer - 1]
        if (affine) {
          const { W } = affine
          pendingWeights = { layer, iterations: trainer.iterations, inputs: W.rows, units: W.cols, data: weightColumns(W.data, W.rows, W.cols), source: 'training' }
        }
        Atomics.store(control, CONTROL.WEIGHTS, 0)
        flush(Atomics.load(control, CONTROL.STATE) === PAUSE ? 'paused' : 'running')
      }

      // The watchdog sees each step's loss and gradients before its update. An alarm holds that
      // update back (a non-finite one would wreck the weights) and pauses the run, never stops it;
      // the next progress message says why. Resuming retries with the next batch.
      const watchdog = req.watchdog === false ? null : new Watchdog(optimizerOf(config).kind, config.lr)
      const raise = (alarm: WatchdogAlarm) => {
        pendingAlarm = lastAlarm = alarm
        Atomics.compareExchange(control, CONTROL.STATE, RUN, PAUSE)
        flush('paused')
      }
      const accept = watchdog
        ? (loss: number, grads: Params) => {
          const alarm = watchdog.beforeUpdate(trainer.iterations, loss, grads, trainer.net.params)
          if (alarm) raise(alarm)
          return !alarm
        }
        : undefined
      const step = (): boolean => {
        if (!trainer.tryStep(accept)) return false
        pending.push(trainer.lastLoss)
        losses.push(trainer.lastLoss)
        const dead = watchdog?.afterUpdate(trainer.iterations - 1, trainer.net)
        if (dead) raise(dead)
        return true
      }

      let stopped = false
      while (trainer.iterations - firstIter < config.iters) {
        sendHeld()
        sendWeights()
        const state = Atomics.load(control, CONTROL.STATE)
        if (state >= STOP) { stopped = true; break }
        if (state === PAUSE) {
          if (Atomics.load(control, CONTROL.STEPS) > 0) {
            Atomics.sub(control, CONTROL.STEPS, 1)
          } else {
            flush('paused')
            // sleeps until the main thread changes the state or grants a step, then looks again
            Atomics.wait(control, CONTROL.STATE, PAUSE, 1000)
            continue
          }
        }
        // an evaluation of this job's snapshot on the other worker gets the helper's core
        if (twoCores && helper) helper.enabled = Atomics.load(control, CONTROL.EVALUATING) === 0
        let stepped: boolean
        if (probe.due()) {
          probe.before(trainer.net)
          stepped = step()
          if (stepped) pendingStats = probe.after(trainer.net, trainer.iterations - 1)
        } else stepped = step()
        if (!stepped) continue
        // the first step's large products started the helper thread: the rest of the run gets it
        if (twoCores && helper?.starting) await helper.whenUp(HELPER_START_MS)
        if (trainer.evalDue()) {
          if (req.offloadEval) snapshot()
          else if (!runEval(stopRequested)) { stopped = true; break }
        }
        if (performance.now() - lastFlush >= PROGRESS_FLUSH_MS) flush('running')
      }
      // The summary's accuracies must be those of the final weights, so that evaluating the saved
      // model reproduces them; this pass runs even after a stop, which has already halted training,
      // but not after a quit. A snapshot still held is dropped: the caller evaluates the final weights.
      const last = trainer.lastEval
      if (!req.offloadEval && !quitRequested() && (!last || last.iter !== trainer.iterations - 1)) runEval(quitRequested)
      // Through Comlink the callback's reply comes back after every earlier progress message was
      // handled; the result travels on another port and could otherwise overtake the last losses.
      await flush(stopped ? 'paused' : 'running')
      const seconds = (performance.now() - t0) / 1000
      const summary = trainer.summary()
      if (req.offloadEval) { summary.trainAcc = Number.NaN; summary.testAcc = Number.NaN }
      return {
        stopped,
        summary,
        params: trainer.net.exportParams(),
        rngState: trainer.rng.getState(),
        optimizerState: trainer.optimizer.state(),
        samplerState: trainer.sampler.state(),
        losses: Float64Array.from(losses),
        ...(lastAlarm ? { watchdog: lastAlarm } : {}),
        evals,
        seconds,
        trainSeconds: seconds - evalMs / 1000,
        evalSeconds: evalMs / 1000,
      }
    },

    /** Throws CancelledError soon after `cancel` (a newCancelFlag()) turns nonzero. */
    gradientCheck(req: GradCheckRequest, onProgress?: (done: number, total: number) => void, cancel?: Int32Array): GradCheckResult {
      const shouldStop = cancel ? () => Atomics.load(cancel, 0) !== 0 : undefined
      if (shouldStop?.()) throw new CancelledError('the gradient check was cancelled')
      const d = dataset()
      checkShape(req.network, d)
      return runGradientCheck(d, req, onProgress, shouldStop)
    },

    /** Throws CancelledError, between chunks of images, once `cancel` turns nonzero. */
    evaluate(req: EvaluateRequest, cancel?: Int32Array): { trainAcc: number; testAcc: number } {
      const shouldStop = cancel ? () => Atomics.load(cancel, 0) !== 0 : undefined
      const d = req.dataset ?? dataset()
      checkShape(req.network, d)
      // one network per architecture, reused: a training run sends 17 snapshots, and a fresh
      // network each time would leave its WebAssembly memory for the garbage collector to find
      const key = JSON.stringify(req.network)
      if (!evaluator || evaluator.key !== key) {
        const config = { network: req.network, iters: 1, batchSize: 1, lr: 1, seed: 0, evalEvery: 1, evalSamples: 0, sampling: 'replacement' as const }
        evaluator = { key, trainer: new Trainer(config, d) }
      }
      const trainer = evaluator.trainer
      trainer.net.importParams(req.params)
      const trainAcc = trainer.accuracy(d.train, req.evalSamples, shouldStop)
      const testAcc = trainAcc === null ? null : trainer.accuracy(d.test, req.evalSamples, shouldStop)
      if (trainAcc === null || testAcc === null) throw new CancelledError('the evaluation was cancelled')
      return { trainAcc, testAcc }
    },

    /** The model's predictions on the whole test split, counted by (label, predicted class). */
    confusion(req: ConfusionRequest, cancel?: Int32Array): Confusion {
      const d = dataset()
      checkShape(req.network, d)
      const result = confusionOf(netFrom(req.network, req.params), d.test, cancel ? () => Atomics.load(cancel, 0) !== 0 : undefined)
      if (!result) throw new CancelledError('the confusion matrix was cancelled')
      return result
    },

    /** One image of bytes 0–255 (a drawing) through the model: class probabilities and hidden activations. */
    classifyImage(req: { network: NetworkConfig; params: NamedParam[]; pixels: number[] }): ImageClassification {
      return classifyImage(netFrom(req.network, req.params), req.pixels)
    },

    /**
     * Forward and backward on one training batch, layer by layer (inspectNetwork). The batch is
     * the first a training run seeded `seed` would draw; the net is the given params, or a fresh
     * one initialised from `seed`. Dense layers, so that ‖dx‖ reaches the input too.
     */
    inspectBatch(req: { network: NetworkConfig; params?: NamedParam[]; batchSize: number; seed: number }): NetworkInspection {
      const d = dataset()
      checkShape(req.network, d)
      const n = Math.min(req.batchSize, d.train.count)
      const rng = new Random(req.seed)
      const net = new MultiLayerNet(req.network, rng, 'reference')
      if (req.params) net.importParams(req.params)
      const sampler = new BatchSampler(d.train.count, n, 'replacement', rng)
      const from = sampler.next()
      const x = zeros(n, req.network.inputSize)
      const t = new Int32Array(n)
      fillBatch(d.train, sampler.order, from, x, t)
      return inspectNetwork(net, x, t)
    },

    predict(req: PredictRequest): Prediction[] {
      const d = dataset()
      checkShape(req.network, d)
      const net = netFrom(req.network, req.params)
      const idx = Int32Array.from(req.indices)
      for (const i of idx) if (!(i >= 0 && i < d.test.count)) throw new RangeError(`test image index ${i} is outside [0, ${d.test.count})`)
      const x = zeros(idx.length, req.network.inputSize)
      const t = new Int32Array(idx.length)
      fillBatch(d.test, idx, 0, x, t)
      net.loss(x, t)
      const y = net.lastLayer.y!
      const K = y.cols
      return Array.from(idx, (index, r) => {
        const probs = y.data.slice(r * K, r * K + K)
        let predicted = 0
        for (let j = 1; j < K; j++) if (probs[j] > probs[predicted]) predicted = j
        return { index, label: t[r], predicted, probs }
      })
    },
  }
}

export type TrainingApi = ReturnType<typeof createTrainingApi>
