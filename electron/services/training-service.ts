import { availableParallelism } from 'node:os'
import { proxy } from 'comlink'
import { CancelledError } from '../../shared/engine/cancelled-error'
import type { ImageClassification } from '../../shared/engine/classify-image'
import type { NetworkInspection } from '../../shared/engine/inspect-network'
import type { NamedParam, NetworkConfig } from '../../shared/engine/network-config'
import type { Engine } from '../../shared/engine/engine'
import type { TrainConfig } from '../../shared/engine/train-config'
import type { TrainingState, TrainingStatus } from '../../shared/ipc'
import type { Confusion } from '../../shared/engine/confusion'
import type { LiveWeights } from '../../shared/live-weights'
import {
  CONTROL, PAUSE, QUIT, RUN, STOP, newCancelFlag,
  type ConfusionRequest, type EvaluateRequest, type GradCheckRequest, type GradCheckResult, type Prediction,
  type PredictRequest, type TrainerStart, type TrainProgress, type TrainResult,
} from '../../shared/training-events'
import { OffloadedEvaluation } from './offloaded-evaluation'
import type { WorkerPool } from './worker-pool'

/** A training job was started while another one is still running. */
export class TrainingBusyError extends Error {
  override name = 'TrainingBusyError'
}

/** A control action that does not apply: an unknown job, or a step while not paused. */
export class TrainingControlError extends Error {
  override name = 'TrainingControlError'
}

export type ControlAction = 'pause' | 'resume' | 'stop' | 'step'

export interface StartTrainingOptions {
  /** Validated at the boundary (the dispatcher's or the CLI's schema). */
  config: TrainConfig
  /** Continue from a model's params, PRNG state and iteration count. */
  start?: TrainerStart
  /** Every progress message of the job, in order; the last arrives before the result settles. */
  onProgress?: (p: TrainProgress) => void
  /** reference: the book's dense Affine layers, evaluation included; fast (the default): the sparse ones. */
  engine?: Engine
  /** Pause on a non-finite loss or an exploding gradient (the default); false runs unwatched. */
  watchdog?: boolean
}

export interface TrainingJob {
  readonly id: string
  /** The validated config the job runs. */
  readonly config: TrainConfig
  /** The trained (or stopped) model, or the job's error; never pending forever. */
  readonly result: Promise<TrainResult>
}

interface RunningJob {
  id: string
  config: TrainConfig
  control: Int32Array
  stopping: boolean
  lastState: TrainProgress['state']
  /** Evaluates the job's snapshots on another worker; null when evaluation runs inline. */
  offload: OffloadedEvaluation | null
  /** Settles once the job has ended and is no longer current. */
  ended: Promise<unknown>
  /** A liveWeights request the worker has not answered yet (CONTROL.WEIGHTS holds its layer). */
  weights: { layer: number; answer: Promise<LiveWeights | null>; resolve: (w: LiveWeights | null) => void } | null
}

/**
 * Training, gradient checks, evaluation and prediction, each on a worker of the pool. One
 * training job at a time; other jobs run beside it on other workers. A running job is steered
 * through an Int32Array over a SharedArrayBuffer that its worker reads between iterations
 * (CONTROL.STATE: RUN, PAUSE, STOP or QUIT; CONTROL.STEPS: single steps granted while paused;
 * CONTROL.SNAPSHOT: a weight snapshot on its way here).
 */
export class TrainingService {
  private job: RunningJob | null = null
  private seq = 0

  constructor(readonly pool: WorkerPool) {}

  /** Starts the job; throws TrainingBusyError synchronously while another one runs. */
  start(options: StartTrainingOptions): TrainingJob {
    const { config } = options
    if (this.job) throw new TrainingBusyError(`training job ${this.job.id} is still running; stop it before starting another`)
    const control = new Int32Array(new SharedArrayBuffer(CONTROL.LENGTH * Int32Array.BYTES_PER_ELEMENT))
    const listener = options.onProgress
    const forward = (p: TrainProgress) => {
      try { listener?.(p) } catch { /* a failing listener only loses its own update */ }
    }
    // With a second worker, evaluations run there while this job's worker keeps training
    // (on the fast layers: a reference run evaluates on its own dense ones).
    // While that evaluation runs, the job gives up its kernel helper's core to it (CONTROL.EVALUATING).
    const evaluating = (busy: boolean) => Atomics.store(control, CONTROL.EVALUATING, busy ? 1 : 0)
    const offload = this.pool.size > 1 && options.engine !== 'reference' ? new OffloadedEvaluation(this.pool, config, this.pool.dataset, forward, evaluating) : null
    const running: RunningJob = { id: `train-${++this.seq}`, config, control, stopping: false, lastState: 'running', offload, ended: Promise.resolve(), weights: null }
    this.job = running
    // Runs on the main thread when a progress message arrives; its failure must not reach the worker.
    const onProgress = (message: TrainProgress) => {
      // the weights answer liveWeights; they go no further
      const { weights, ...p } = message
      if (weights) answerWeights(running, weights)
      running.lastState = p.state
      if (offload) offload.progress(p)
      else forward(p)
      if (p.snapshots?.length) {
        // taken: the worker may send its next snapshot (and is woken if it sleeps paused)
        Atomics.store(control, CONTROL.SNAPSHOT, 0)
        Atomics.notify(control, CONTROL.STATE)
      }
    }
    // two cores for the training step where there are two
    const threads: 1 | 2 = availableParallelism() > 1 ? 2 : 1
    const request = { config, start: options.start, offloadEval: offload !== null, engine: options.engine, watchdog: options.watchdog, threads }
    const t0 = performance.now()
    const jobData = this.pool.dataset
    const result = this.pool
      .run((w) => w.call((api) => api.train(request, control, proxy(onProgress))), 'training')
      .then(async (r) => {
        if (!offload) return r
        const trainCount = jobData?.train.count ?? config.batchSize
        const done = await offload.finish(r, Math.max(Math.floor(trainCount / config.batchSize), 1))
        return { ...done, seconds: (performance.now() - t0) / 1000 }
      })
      .finally(() => {
        if (this.job === running) this.job = null
        answerWeights(running, null)
      })
    running.ended = result.catch(() => undefined)
    return { id: running.id, config, result }
  }

  /**
   * Pause, resume, stop, or (while paused) one step. An action on a job that has already ended
   * does nothing and returns the current status; an id never issued is an error.
   */
  control(jobId: string, action: ControlAction): TrainingStatus {
    const job = this.job
    if (!job || job.id !== jobId) {
      if (!this.issued(jobId)) throw new TrainingControlError(`${action}: no training job "${jobId}"`)
      return this.status()
    }
    const c = job.control
    switch (action) {
      case 'pause':
        // a stop already requested is never turned back into a pause
        Atomics.compareExchange(c, CONTROL.STATE, RUN, PAUSE)
        break
      case 'resume':
        Atomics.store(c, CONTROL.STEPS, 0)
        Atomics.compareExchange(c, CONTROL.STATE, PAUSE, RUN)
        break
      case 'stop':
        job.stopping = true
        // a quit already requested stays one
        Atomics.compareExchange(c, CONTROL.STATE, RUN, STOP)
        Atomics.compareExchange(c, CONTROL.STATE, PAUSE, STOP)
        job.offload?.stop()
        break
      case 'step':
        if (Atomics.load(c, CONTROL.STATE) !== PAUSE) throw new TrainingControlError(`step: training job ${jobId} is not paused; pause it first`)
        Atomics.add(c, CONTROL.STEPS, 1)
        break
    }
    // wakes the worker if it sleeps in Atomics.wait on the state word (it does while paused)
    Atomics.notify(c, CONTROL.STATE)
    return this.status()
  }

  status(): TrainingStatus {
    const job = this.job
    if (!job) return { jobId: null, state: 'idle', config: null }
    return { jobId: job.id, state: this.stateOf(job), config: structuredClone(job.config) }
  }

  /**
   * Backprop against central differences; runs beside a training job on another worker.
   * Aborting `signal` makes the call reject with CancelledError: at once if the check has not
   * started, else as soon as the worker, which looks at a shared flag before each element, sees it.
   */
  async gradientCheck(req: GradCheckRequest, onProgress?: (done: number, total: number) => void, signal?: AbortSignal): Promise<GradCheckResult> {
    if (signal?.aborted) throw new CancelledError('the gradient check was cancelled')
    const request: GradCheckRequest = { network: req.network, seed: req.seed, samples: req.samples, params: req.params, bug: req.bug, detail: req.detail }
    const report = (done: number, total: number) => {
      try { onProgress?.(done, total) } catch { /* a failing listener only loses its own update */ }
    }
    const cancel = newCancelFlag()
    const onAbort = () => { Atomics.store(cancel, 0, 1) }
    signal?.addEventListener('abort', onAbort, { once: true })
    try {
      return await this.pool.run((w) => w.call((api) => api.gradientCheck(request, onProgress ? proxy(report) : undefined, cancel)))
    } catch (e) {
      // Comlink rebuilds the worker's error as a plain Error named CancelledError; give it its class back
      if ((e as { name?: unknown } | null)?.name === 'CancelledError') throw new CancelledError('the gradient check was cancelled')
      throw e
    } finally {
      signal?.removeEventListener('abort', onAbort)
    }
  }

  evaluate(req: EvaluateRequest): Promise<{ trainAcc: number; testAcc: number }> {
    return this.pool.run((w) => w.call((api) => api.evaluate(req)))
  }

  predict(req: PredictRequest): Promise<Prediction[]> {
    return this.pool.run((w) => w.call((api) => api.predict(req)))
  }

  classifyImage(req: { network: NetworkConfig; params: NamedParam[]; pixels: number[] }): Promise<ImageClassification> {
    return this.pool.run((w) => w.call((api) => api.classifyImage(req)))
  }

  inspectBatch(req: { network: NetworkConfig; params?: NamedParam[]; batchSize: number; seed: number }): Promise<NetworkInspection> {
    return this.pool.run((w) => w.call((api) => api.inspectBatch(req)))
  }

  confusion(req: ConfusionRequest): Promise<Confusion> {
    return this.pool.run((w) => w.call((api) => api.confusion(req)))
  }

  /**
   * The running job's weights of layer `layer` (1 for W1) as they are now: its worker takes
   * them between two steps (paused or not) and sends them with its next progress message.
   * Null when no job runs, or when it ends first. Calls while one is under way share its answer,
   * so at most one request is ever pending.
   */
  async liveWeights(layer: number): Promise<LiveWeights | null> {
    const job = this.job
    if (!job) return null
    const layers = job.config.network.hiddenSizes.length + 1
    if (layer > layers) throw new RangeError(`liveWeights: layer ${layer}: the running network has ${layers} weight matrices`)
    while (job.weights && job.weights.layer !== layer) await job.weights.answer
    if (job.weights) return job.weights.answer
    if (this.job !== job) return null
    let resolve: (w: LiveWeights | null) => void = () => undefined
    const answer = new Promise<LiveWeights | null>((r) => { resolve = r })
    job.weights = { layer, answer, resolve }
    Atomics.store(job.control, CONTROL.WEIGHTS, layer)
    // wakes the worker if it sleeps paused
    Atomics.notify(job.control, CONTROL.STATE)
    return answer
  }

  /**
   * Quits the training job (it halts at its next iteration or evaluation chunk, and neither
   * waiting nor final evaluations run), waits for it to end, then shuts the pool down.
   */
  async dispose(): Promise<void> {
    const job = this.job
    if (job) {
      job.stopping = true
      Atomics.store(job.control, CONTROL.STATE, QUIT)
      Atomics.notify(job.control, CONTROL.STATE)
      job.offload?.quit()
      await job.ended
    }
    await this.pool.dispose()
  }

  private issued(jobId: string): boolean {
    const m = /^train-(\d+)$/.exec(jobId)
    return m !== null && Number(m[1]) >= 1 && Number(m[1]) <= this.seq
  }

  private stateOf(job: RunningJob): TrainingState {
    if (job.stopping) return 'stopping'
    if (Atomics.load(job.control, CONTROL.STATE) === PAUSE) return 'paused'
    return job.lastState === 'evaluating' ? 'evaluating' : 'running'
  }
}

/** Settles the job's pending liveWeights request, if any, with `weights` (null: the job ended). */
function answerWeights(job: RunningJob, weights: LiveWeights | null): void {
  const pending = job.weights
  job.weights = null
  pending?.resolve(weights)
}
