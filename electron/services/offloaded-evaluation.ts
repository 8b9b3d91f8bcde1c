import type { Dataset } from '../../shared/data/dataset'
import { parameterCount } from '../../shared/engine/memory-budget'
import { paramShapes, type NetworkConfig } from '../../shared/engine/network-config'
import type { TrainConfig } from '../../shared/engine/train-config'
import { newCancelFlag, PROGRESS_FLUSH_MS, type EvalReport, type EvalSnapshot, type TrainProgress, type TrainResult } from '../../shared/training-events'
import type { WorkerPool } from './worker-pool'


/** Snapshots that may wait for the evaluation worker, at most. */
const MAX_WAITING = 8
/** Bytes of parameters the waiting snapshots may hold in all (at least one snapshot waits). */
const MAX_WAITING_BYTES = 16 * 1024 * 1024

/**
 * How many snapshots of `network` may wait: enough to ride out evaluations that run late for a
 * while (the other core busy), few enough that memory stays bounded whatever evalEvery is.
 */
export function waitingCapacity(network: NetworkConfig): number {
  return Math.max(1, Math.min(MAX_WAITING, Math.floor(MAX_WAITING_BYTES / (parameterCount(network) * 8))))
}

export interface OffloadedEvaluationStats {
  /** Snapshots waiting for the evaluation worker: at most waitingCapacity. */
  pending: number
  /** Evaluations running now: 0 or 1. */
  running: number
  /** Snapshots replaced by a newer one, or dropped by a stop, before they were evaluated. */
  skipped: number
}

interface Item {
  snapshot: EvalSnapshot
  /** The final weights: evaluated even after a stop. */
  final: boolean
}

/**
 * Evaluates a training job's weight snapshots on another pool worker while the training
 * worker keeps going, so the book's 17 passes over 70,000 images overlap training instead of
 * pausing it. One evaluation runs at a time and a few snapshots may wait (waitingCapacity), so
 * that evaluations that run late for a while, as when the other core draws charts, catch up
 * afterwards and every one is reported. When more come than can wait (evaluations slower than
 * training for good, as at evalEvery 1), the oldest waiting one is skipped: memory stays bounded
 * however often snapshots come, and the reported evaluations then have gaps. A stop drops the
 * waiting snapshots and abandons the running evaluation; the final weights are evaluated all the
 * same. Each report goes out as a progress message with no losses (lossStart = the last iteration
 * reported), so the stream stays contiguous. The numbers are those an inline evaluation of the
 * same weights gives.
 */
export class OffloadedEvaluation {
  readonly evals: EvalReport[] = []
  evalSeconds = 0
  private failure: { error: unknown } | null = null
  /** Snapshots waiting, oldest first. */
  private readonly pending: Item[] = []
  private readonly capacity: number
  /** The final weights, evaluated after the waiting snapshot: training has ended, nothing follows it. */
  private final: Item | null = null
  private running: { item: Item; cancel: Int32Array; done: Promise<void> } | null = null
  private skipped = 0
  /** After stop() or quit(): snapshots from the training worker are ignored. */
  private halted = false
  /** After quit(): not even the final weights are evaluated. */
  private quitting = false
  private last: TrainProgress | null = null
  private unsent: EvalReport[] = []
  private lastEmit = 0
  private timer: ReturnType<typeof setTimeout> | null = null

  constructor(
    private readonly pool: WorkerPool,
    private readonly config: TrainConfig,
    /** The job's dataset: another one may be opened while it trains. */
    private readonly dataset: Dataset | null,
    private readonly emit: (p: TrainProgress) => void,
    /** Told when an evaluation starts running (true) and when none runs any more (false). */
    private readonly onBusy: (busy: boolean) => void = () => {},
  ) {
    this.capacity = waitingCapacity(config.network)
  }

  /**
   * Starts (or claims) the evaluation worker now, beside the training worker, and has it build
   * its network by evaluating zero weights on one image, so that it is ready for the first
   * snapshot instead of letting snapshots replace each other while it boots.
   */
  warmUp(): void {
    const params = paramShapes(this.config.network).map(({ name, shape }) => ({ name, shape, data: new Float64Array(shape.reduce((a, b) => a * b, 1)) }))
    const request = { network: this.config.network, params, evalSamples: 1, dataset: this.dataset ?? undefined }
    this.pool.run((w) => w.call((api) => api.evaluate(request)), 'evaluation').catch(() => undefined)
  }

  stats(): OffloadedEvaluationStats {
    return { pending: this.pending.length, running: this.running ? 1 : 0, skipped: this.skipped }
  }

  /** Forwards a worker's progress without its snapshots, and queues those for evaluation. */
  progress(p: TrainProgress): void {
    const { snapshots, ...rest } = p
    this.last = rest
    this.emit(rest)
    if (this.halted) return
    for (const snapshot of snapshots ?? []) this.enqueue({ snapshot, final: false })
  }

  /** Training was stopped: drop what waits and abandon what runs, except the final weights. */
  stop(): void {
    this.halted = true
    this.drop((item) => !item.final)
    if (this.running && !this.running.item.final) Atomics.store(this.running.cancel, 0, 1)
  }

  /** The app is closing: as stop(), and the final weights are not evaluated either. */
  quit(): void {
    this.stop()
    this.quitting = true
    this.drop(() => true)
    this.final = null
    if (this.running) Atomics.store(this.running.cancel, 0, 1)
  }

  /**
   * Evaluates the final weights after the waiting snapshot (unless a snapshot of them is
   * already evaluated, waiting or running), then completes the result. After quit() the
   * result keeps the evaluations done so far, and NaN accuracies if there were none.
   */
  async finish(result: TrainResult, itersPerEpoch: number): Promise<TrainResult> {
    const finalIter = result.summary.iterations - 1
    // a snapshot the worker sent of the final weights now counts as the final evaluation
    for (const item of [...this.pending, this.running?.item]) if (item?.snapshot.iter === finalIter) item.final = true
    const covered = this.evals.at(-1)?.iter === finalIter || this.pending.at(-1)?.final
      || (this.running?.item.final && Atomics.load(this.running.cancel, 0) === 0)
    if (!this.quitting && !covered) {
      const snapshot = { iter: finalIter, epoch: result.summary.iterations / itersPerEpoch, loss: result.summary.loss, params: result.params }
      this.final = { snapshot, final: true }
      this.pump()
    }
    while (this.running) await this.running.done
    this.flush()
    if (this.failure) throw this.failure.error
    const final = this.evals.at(-1)
    return {
      ...result,
      evals: this.evals,
      summary: { ...result.summary, trainAcc: final?.trainAcc ?? Number.NaN, testAcc: final?.testAcc ?? Number.NaN },
      evalSeconds: this.evalSeconds,
    }
  }

  private enqueue(item: Item): void {
    if (this.pending.length >= this.capacity) {
      this.pending.shift()
      this.skipped++
    }
    this.pending.push(item)
    this.pump()
  }

  /** Starts the waiting snapshot's evaluation, else the final one's, when none is running. */
  private pump(): void {
    if (this.running || this.failure) return
    const item = this.pending.shift() ?? this.final
    if (!item) return
    if (item === this.final) this.final = null
    const cancel = newCancelFlag()
    const done = this.evaluate(item.snapshot, cancel).finally(() => {
      this.running = null
      this.pump()
      if (!this.running) this.onBusy(false)
    })
    this.running = { item, cancel, done }
    this.onBusy(true)
  }

  /** Drops the waiting snapshots `which` picks, as skipped. */
  private drop(which: (item: Item) => boolean): void {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      if (!which(this.pending[i])) continue
      this.pending.splice(i, 1)
      this.skipped++
    }
  }

  private async evaluate(s: EvalSnapshot, cancel: Int32Array): Promise<void> {
    try {
      const t0 = performance.now()
      const request = { network: this.config.network, params: s.params, evalSamples: this.config.evalSamples, dataset: this.dataset ?? undefined }
      const acc = await this.pool.run((w) => w.call((api) => api.evaluate(request, cancel)), 'evaluation')
      this.evalSeconds += (performance.now() - t0) / 1000
      const report: EvalReport = { iter: s.iter, epoch: s.epoch, loss: s.loss, trainAcc: acc.trainAcc, testAcc: acc.testAcc }
      this.evals.push(report)
      this.unsent.push(report)
      this.schedule()
    } catch (error) {
      // an evaluation abandoned by stop() or quit() is a skipped one, not a failure
      if ((error as { name?: unknown } | null)?.name === 'CancelledError') this.skipped++
      else this.failure = { error }
    }
  }

  private schedule(): void {
    if (this.timer) return
    const wait = Math.max(0, this.lastEmit + PROGRESS_FLUSH_MS - performance.now())
    this.timer = setTimeout(() => { this.timer = null; this.flush() }, wait)
  }

  private flush(): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = null }
    if (!this.unsent.length || !this.last) return
    this.lastEmit = performance.now()
    const evals = this.unsent
    this.unsent = []
    this.emit({ ...this.last, lossStart: this.last.iter, losses: new Float64Array(0), evals })
  }
}
