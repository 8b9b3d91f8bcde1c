import { proxy } from 'comlink'
import type { TrainConfig } from '../../shared/engine/train-config'
import { errorInfo } from '../../shared/error-info'
import type { SweepSpec, SweepStatus, SweepTrial } from '../../shared/sweep/sweep-spec'
import { CONTROL, QUIT, type TrainProgress } from '../../shared/training-events'
import type { WorkerPool } from './worker-pool'

/** A sweep was started while a sweep or a training run is under way, or a run while a sweep is. */
export class SweepBusyError extends Error {
  override name = 'SweepBusyError'
}

/** Points of a trial's curve at most: block means of ⌈iters / CURVE_POINTS⌉ iterations. */
export const CURVE_POINTS = 200

/** A running trial reports its progress at most this often (evaluations and ends at once). */
const TRIAL_REPORT_MS = 250

export interface SweepListener {
  trial(sweepId: string, t: SweepTrial): void
  finished(sweepId: string, status: SweepStatus): void
}

interface Running {
  id: string
  mode: SweepSpec['mode']
  trials: SweepTrial[]
  controls: (Int32Array | null)[]
  cancelled: boolean
  done: Promise<SweepStatus>
}

/**
 * Hyperparameter sweeps: each trial is a short training run on a worker of the pool, as many
 * at once as the pool has workers, each with its own control word, and evaluating inline as a
 * run does on one worker. Cancel sets every control word to QUIT, which a worker sees between
 * two iterations (or evaluation chunks), so every trial ends within a fraction of a second; trials
 * not yet started never start. One sweep at a time.
 */
export class SweepService {
  private current: Running | null = null
  private last: SweepStatus = { sweepId: null, state: 'idle', mode: null, trials: [], concurrency: 0 }
  private seq = 0

  constructor(private readonly pool: WorkerPool) {}

  get running(): boolean {
    return this.current !== null
  }

  /** Starts the trials; throws SweepBusyError synchronously while another sweep runs. */
  start(mode: SweepSpec['mode'], configs: TrainConfig[], listener: SweepListener): { sweepId: string; done: Promise<SweepStatus> } {
    if (this.current) throw new SweepBusyError(`sweep ${this.current.id} is still running; cancel it before starting another`)
    const id = `sweep-${++this.seq}`
    const trials = configs.map((config, index): SweepTrial => ({
      index, config, state: 'queued', iter: 0, loss: Number.NaN, trainAcc: Number.NaN, testAcc: Number.NaN,
      seconds: 0, curve: [], curveStep: Math.max(1, Math.ceil(config.iters / CURVE_POINTS)),
    }))
    const run: Running = { id, mode, trials, controls: trials.map(() => null), cancelled: false, done: Promise.resolve(this.last) }
    this.current = run
    const emit = (t: SweepTrial) => {
      try { listener.trial(id, structuredClone(t)) } catch { /* a failing listener only loses its own update */ }
    }
    let next = 0
    const lane = async () => {
      while (next < trials.length && !run.cancelled) await this.runTrial(run, next++, emit)
    }
    run.done = Promise.all(Array.from({ length: Math.min(this.pool.size, trials.length) }, lane)).then(() => {
      for (const t of trials) {
        if (t.state === 'queued') { t.state = 'cancelled'; emit(t) }
      }
      if (this.current === run) this.current = null
      this.last = this.statusOf(run, run.cancelled ? 'cancelled' : 'done')
      try { listener.finished(id, structuredClone(this.last)) } catch { /* as above */ }
      return this.last
    })
    return { sweepId: id, done: run.done }
  }

  /** Quits every running trial and drops the queued ones; the sweep's done promise settles once they have ended. */
  cancel(): SweepStatus {
    const run = this.current
    if (!run) return this.status()
    run.cancelled = true
    for (const c of run.controls) {
      if (!c) continue
      Atomics.store(c, CONTROL.STATE, QUIT)
      Atomics.notify(c, CONTROL.STATE)
    }
    return this.status()
  }

  status(): SweepStatus {
    const run = this.current
    if (!run) return structuredClone(this.last)
    return this.statusOf(run, run.cancelled ? 'cancelling' : 'running')
  }

  async dispose(): Promise<void> {
    const run = this.current
    if (!run) return
    this.cancel()
    await run.done
  }

  private statusOf(run: Running, state: SweepStatus['state']): SweepStatus {
    return { sweepId: run.id, state, mode: run.mode, trials: structuredClone(run.trials), concurrency: Math.min(this.pool.size, run.trials.length) }
  }

  private async runTrial(run: Running, index: number, emit: (t: SweepTrial) => void): Promise<void> {
    const t = run.trials[index]
    const control = new Int32Array(new SharedArrayBuffer(CONTROL.LENGTH * Int32Array.BYTES_PER_ELEMENT))
    run.controls[index] = control
    t.state = 'running'
    emit(t)
    let diverged = false
    let sum = 0, inBlock = 0, lastReport = 0
    const onProgress = (p: TrainProgress) => {
      for (const loss of p.losses) {
        sum += loss
        if (++inBlock === t.curveStep) { t.curve.push(sum / inBlock); sum = 0; inBlock = 0 }
      }
      t.iter = p.iter
      t.seconds = p.elapsedMs / 1000
      if (p.losses.length) t.loss = p.losses[p.losses.length - 1]
      const e = p.evals.at(-1)
      if (e) { t.trainAcc = e.trainAcc; t.testAcc = e.testAcc }
      if (p.watchdog && !diverged) {
        // the watchdog has paused the trial: in a sweep that ends it
        diverged = true
        Atomics.store(control, CONTROL.STATE, QUIT)
        Atomics.notify(control, CONTROL.STATE)
      }
      const now = performance.now()
      if (e || now - lastReport >= TRIAL_REPORT_MS) { lastReport = now; emit(t) }
    }
    try {
      const result = await this.pool.run((w) => w.call((api) => api.train({ config: t.config, offloadEval: false }, control, proxy(onProgress))))
      if (inBlock) t.curve.push(sum / inBlock)
      t.iter = result.summary.iterations
      t.seconds = result.seconds
      if (Number.isFinite(result.summary.loss)) t.loss = result.summary.loss
      if (!run.cancelled && !diverged) { t.trainAcc = result.summary.trainAcc; t.testAcc = result.summary.testAcc }
      t.state = diverged ? 'diverged' : run.cancelled ? 'cancelled' : 'finished'
    } catch (e) {
      t.state = run.cancelled ? 'cancelled' : 'failed'
      if (!run.cancelled) t.error = `${errorInfo(e).name}: ${errorInfo(e).message}`
    } finally {
      run.controls[index] = null
    }
    emit(t)
  }
}
