import type { Dataset } from '../../shared/data/dataset'
import type { TrainConfig } from '../../shared/engine/train-config'
import type { EvalReport, EvalSnapshot, TrainProgress, TrainResult } from '../../shared/training-events'
import type { WorkerPool } from './worker-pool'

/** Eval-only progress messages go out at most this often, like the worker's own. */
const FLUSH_MS = 50

/**
 * Evaluates a training job's weight snapshots on another pool worker while the training
 * worker keeps going, so the book's 17 passes over 70,000 images overlap training instead of
 * pausing it. Snapshots are evaluated one at a time, in order; each report goes out as a
 * progress message with no losses (lossStart = the last iteration reported), so the stream
 * stays contiguous. The numbers are those an inline evaluation of the same weights gives.
 */
export class OffloadedEvaluation {
  readonly evals: EvalReport[] = []
  evalSeconds = 0
  private chain: Promise<void> = Promise.resolve()
  private failure: { error: unknown } | null = null
  /** Iteration of the last snapshot queued; null before the first. */
  private lastSnapshotIter: number | null = null
  private last: TrainProgress | null = null
  private queued: EvalReport[] = []
  private lastEmit = 0
  private timer: ReturnType<typeof setTimeout> | null = null

  constructor(
    private readonly pool: WorkerPool,
    private readonly config: TrainConfig,
    /** The job's dataset: another one may be opened while it trains. */
    private readonly dataset: Dataset | null,
    private readonly emit: (p: TrainProgress) => void,
  ) {}

  /** Forwards a worker's progress without its snapshots, and queues those for evaluation. */
  progress(p: TrainProgress): void {
    const { snapshots, ...rest } = p
    this.last = rest
    this.emit(rest)
    for (const s of snapshots ?? []) this.add(s)
  }

  /** Evaluates the final weights too (unless the last snapshot was of them) and completes the result. */
  async finish(result: TrainResult, itersPerEpoch: number): Promise<TrainResult> {
    const iterations = result.summary.iterations
    if (this.lastSnapshotIter !== iterations - 1) {
      this.add({ iter: iterations - 1, epoch: iterations / itersPerEpoch, loss: result.summary.loss, params: result.params })
    }
    await this.chain
    this.flush()
    if (this.failure) throw this.failure.error
    const final = this.evals[this.evals.length - 1]
    return {
      ...result,
      evals: this.evals,
      summary: { ...result.summary, trainAcc: final.trainAcc, testAcc: final.testAcc },
      evalSeconds: this.evalSeconds,
    }
  }

  private add(s: EvalSnapshot): void {
    this.lastSnapshotIter = s.iter
    this.chain = this.chain.then(async () => {
      if (this.failure) return
      try {
        const t0 = performance.now()
        const acc = await this.pool.run((w) => w.call((api) => api.evaluate({ network: this.config.network, params: s.params, evalSamples: this.config.evalSamples, dataset: this.dataset ?? undefined })))
        this.evalSeconds += (performance.now() - t0) / 1000
        const report: EvalReport = { iter: s.iter, epoch: s.epoch, loss: s.loss, trainAcc: acc.trainAcc, testAcc: acc.testAcc }
        this.evals.push(report)
        this.queued.push(report)
        this.schedule()
      } catch (error) {
        this.failure = { error }
      }
    })
  }

  private schedule(): void {
    if (this.timer) return
    const wait = Math.max(0, this.lastEmit + FLUSH_MS - performance.now())
    this.timer = setTimeout(() => { this.timer = null; this.flush() }, wait)
  }

  private flush(): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = null }
    if (!this.queued.length || !this.last) return
    this.lastEmit = performance.now()
    const evals = this.queued
    this.queued = []
    this.emit({ ...this.last, lossStart: this.last.iter, losses: new Float64Array(0), evals })
  }
}
