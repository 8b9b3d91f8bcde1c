import { proxy } from 'comlink'
import type { TrainConfig } from '../../shared/engine/train-config'
import { ConfigError, validateTrainConfig } from '../../shared/engine/validate-train-config'
import type { TrainingState, TrainingStatus } from '../../shared/ipc'
import {
  CONTROL, PAUSE, RUN, STOP,
  type EvaluateRequest, type GradCheckRequest, type GradCheckResult, type Prediction,
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
  /** Checked by validateTrainConfig before anything starts. */
  config: unknown
  /** Continue from a model's params, PRNG state and iteration count. */
  start?: TrainerStart
  /** Every progress message of the job, in order; the last arrives before the result settles. */
  onProgress?: (p: TrainProgress) => void
}

export interface TrainingJob {
  readonly id: string
  /** The validated config the job runs. */
  readonly config: TrainConfig
  /** The trained (or stopped) model, or the job's error; never pending forever. */
  readonly result: Promise<TrainResult>
}

/** Most training images a gradient check may use: each costs a forward pass per parameter. */
export const GRADCHECK_MAX_SAMPLES = 10_000

interface RunningJob {
  id: string
  config: TrainConfig
  control: Int32Array
  stopping: boolean
  lastState: TrainProgress['state']
  /** Settles once the job has ended and is no longer current. */
  ended: Promise<unknown>
}

/**
 * Training, gradient checks, evaluation and prediction, each on a worker of the pool. One
 * training job at a time; other jobs run beside it on other workers. A running job is steered
 * through an Int32Array over a SharedArrayBuffer that its worker reads between iterations
 * (CONTROL.STATE: RUN, PAUSE or STOP; CONTROL.STEPS: single steps granted while paused).
 */
export class TrainingService {
  private job: RunningJob | null = null
  private seq = 0

  constructor(readonly pool: WorkerPool) {}

  /** Validates the config, then starts the job; throws ConfigError or TrainingBusyError synchronously. */
  start(options: StartTrainingOptions): TrainingJob {
    const config = validateTrainConfig(options.config)
    if (this.job) throw new TrainingBusyError(`training job ${this.job.id} is still running; stop it before starting another`)
    const control = new Int32Array(new SharedArrayBuffer(CONTROL.LENGTH * Int32Array.BYTES_PER_ELEMENT))
    const running: RunningJob = { id: `train-${++this.seq}`, config, control, stopping: false, lastState: 'running', ended: Promise.resolve() }
    this.job = running
    const listener = options.onProgress
    const forward = (p: TrainProgress) => {
      try { listener?.(p) } catch { /* a failing listener only loses its own update */ }
    }
    // With a second worker, evaluations run there while this job's worker keeps training.
    const offload = this.pool.size > 1 ? new OffloadedEvaluation(this.pool, config, this.pool.dataset, forward) : null
    // Runs on the main thread when a progress message arrives; its failure must not reach the worker.
    const onProgress = (p: TrainProgress) => {
      running.lastState = p.state
      if (offload) offload.progress(p)
      else forward(p)
    }
    const request = { config, start: options.start, offloadEval: offload !== null }
    const t0 = performance.now()
    const jobData = this.pool.dataset
    const result = this.pool
      .run((w) => w.call((api) => api.train(request, control, proxy(onProgress))))
      .then(async (r) => {
        if (!offload) return r
        const trainCount = jobData?.train.count ?? config.batchSize
        const done = await offload.finish(r, Math.max(Math.floor(trainCount / config.batchSize), 1))
        return { ...done, seconds: (performance.now() - t0) / 1000 }
      })
      .finally(() => { if (this.job === running) this.job = null })
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
        Atomics.store(c, CONTROL.STATE, STOP)
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

  /** Backprop against central differences; runs beside a training job on another worker. */
  async gradientCheck(req: GradCheckRequest, onProgress?: (done: number, total: number) => void): Promise<GradCheckResult> {
    const { network, seed } = validateTrainConfig({ network: req.network, seed: req.seed, iters: 1, batchSize: 1, lr: 1, evalEvery: 1, evalSamples: 0, sampling: 'replacement' })
    const samples = req.samples
    if (typeof samples !== 'number' || !Number.isSafeInteger(samples) || samples < 1 || samples > GRADCHECK_MAX_SAMPLES) {
      throw new ConfigError([{ field: 'samples', message: `must be a whole number from 1 to ${GRADCHECK_MAX_SAMPLES}, got ${String(samples)}` }])
    }
    const request: GradCheckRequest = { network, seed, samples, params: req.params }
    const report = (done: number, total: number) => {
      try { onProgress?.(done, total) } catch { /* a failing listener only loses its own update */ }
    }
    return this.pool.run((w) => w.call((api) => api.gradientCheck(request, onProgress ? proxy(report) : undefined)))
  }

  evaluate(req: EvaluateRequest): Promise<{ trainAcc: number; testAcc: number }> {
    return this.pool.run((w) => w.call((api) => api.evaluate(req)))
  }

  predict(req: PredictRequest): Promise<Prediction[]> {
    return this.pool.run((w) => w.call((api) => api.predict(req)))
  }

  /** Stops the training job, waits for it to end, then shuts the pool down. */
  async dispose(): Promise<void> {
    const job = this.job
    if (job) {
      this.control(job.id, 'stop')
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
