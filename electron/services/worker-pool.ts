import { availableParallelism } from 'node:os'
import type { ResourceLimits } from 'node:worker_threads'
import type { Dataset } from '../../shared/data/dataset'
import { startTrainingWorker, WorkerCrashError, type TrainingWorker } from './training-worker'

export { WorkerCrashError }

/** A job was submitted to, or was waiting in, a pool that has been disposed. */
export class PoolDisposedError extends Error {
  override name = 'PoolDisposedError'
  constructor() { super('the worker pool has been shut down') }
}

/**
 * Each worker's V8 heap is capped so that a runaway job dies alone (ERR_WORKER_OUT_OF_MEMORY)
 * instead of the app. Parameters and batch buffers are Float64Arrays outside this heap, and
 * the dataset is shared memory, so 512 MB leaves ample room for the engine itself. The cap does
 * not cover ArrayBuffer or WebAssembly memory: jobs whose parameters and buffers would exceed
 * WORKER_MEMORY_BUDGET (shared/engine/memory-budget.ts) are refused before they start.
 */
export const DEFAULT_RESOURCE_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 512 }

export interface WorkerPoolOptions {
  /** Most workers alive at once; defaults to one per core. */
  size?: number
  resourceLimits?: ResourceLimits
  /** Shared with every worker before its first job. */
  dataset?: Dataset
}

export interface WorkerPoolStats {
  size: number
  /** Workers started or starting. */
  live: number
  busy: number
  idle: number
  /** Jobs waiting for a worker. */
  queued: number
}

interface Waiter {
  resolve: (w: TrainingWorker) => void
  reject: (e: Error) => void
  /** The kind of job: it gets the worker that last ran one of its kind, if that one is idle. */
  kind?: string
}

/**
 * Up to `size` TrainingWorkers, started on demand and kept for the next job. Jobs beyond the
 * size wait in FIFO order. A worker that dies (throws, exits, runs out of memory) fails only
 * the job it was running — with WorkerCrashError, since every call races the worker's death —
 * and its slot is given to a fresh worker when the next job needs one.
 */
export class WorkerPool {
  readonly size: number
  readonly resourceLimits: ResourceLimits
  private current: Dataset | null
  /** Workers started and not yet retired, with the dataset each one holds. */
  private readonly workers = new Map<TrainingWorker, Dataset | null>()
  private readonly busy = new Set<TrainingWorker>()
  private idle: TrainingWorker[] = []
  /** The worker each kind of job last ran on. */
  private readonly lastOfKind = new Map<string, TrainingWorker>()
  private readonly waiters: Waiter[] = []
  private starting = 0
  private disposed = false

  constructor(options: WorkerPoolOptions = {}) {
    const size = options.size ?? availableParallelism()
    if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`worker pool size must be a whole number ≥ 1, got ${size}`)
    this.size = size
    this.resourceLimits = { ...(options.resourceLimits ?? DEFAULT_RESOURCE_LIMITS) }
    this.current = options.dataset ?? null
  }

  get dataset(): Dataset | null {
    return this.current
  }

  /**
   * Later jobs see `d`; a running job keeps the dataset it started with. The arrays are
   * SharedArrayBuffer views, so each worker receives a reference to the same memory, once.
   */
  setDataset(d: Dataset): void {
    this.current = d
  }

  /**
   * Runs `job` on a worker of its own and gives the worker back afterwards. If the worker died
   * during the job, the job's error is the WorkerCrashError and the worker is retired. A job of a
   * `kind` gets the worker that ran the last job of that kind where it is idle (training: its
   * kernel helper thread is up, and its compiled code fits the network), else the one used last.
   */
  async run<T>(job: (worker: TrainingWorker) => Promise<T>, kind?: string): Promise<T> {
    const worker = await this.acquire(kind)
    if (kind !== undefined) this.lastOfKind.set(kind, worker)
    try {
      const d = this.current
      if (d && this.workers.get(worker) !== d) {
        await worker.call((api) => api.setDataset(d))
        this.workers.set(worker, d)
      }
      return await job(worker)
    } catch (e) {
      // A call that failed because the worker died mid-way reports the death, not its symptom.
      if (!worker.alive && !(e instanceof WorkerCrashError)) throw await worker.dead.catch((crash: unknown) => crash)
      throw e
    } finally {
      this.release(worker)
    }
  }

  /** Workers running a job now, e.g. to find the one a job runs on. */
  busyWorkers(): TrainingWorker[] {
    return [...this.busy]
  }

  stats(): WorkerPoolStats {
    return { size: this.size, live: this.workers.size + this.starting, busy: this.busy.size, idle: this.idle.length, queued: this.waiters.length }
  }

  /** Rejects waiting jobs and terminates every worker; running jobs fail with WorkerCrashError. */
  async dispose(): Promise<void> {
    if (this.disposed) return
    this.disposed = true
    for (const w of this.waiters.splice(0)) w.reject(new PoolDisposedError())
    const all = [...this.workers.keys()]
    this.workers.clear()
    this.busy.clear()
    this.idle = []
    await Promise.all(all.map((w) => w.terminate().catch(() => undefined)))
  }

  private acquire(kind?: string): Promise<TrainingWorker> {
    if (this.disposed) return Promise.reject(new PoolDisposedError())
    return new Promise<TrainingWorker>((resolve, reject) => {
      this.waiters.push({ resolve, reject, kind })
      this.pump()
    })
  }

  /** Hands idle workers to waiting jobs, and starts workers while there are free slots. */
  private pump(): void {
    while (this.waiters.length > 0 && !this.disposed) {
      // the worker that last ran this kind of job, else the one used last: their compiled code
      // and kernel helper thread are warm
      const kind = this.waiters[0].kind
      const at = kind === undefined ? -1 : this.idle.indexOf(this.lastOfKind.get(kind) as TrainingWorker)
      const idle = at >= 0 ? this.idle.splice(at, 1)[0] : this.idle.pop()
      if (idle) {
        this.busy.add(idle)
        this.waiters.shift()!.resolve(idle)
      } else if (this.workers.size + this.starting < this.size) {
        this.spawnFor(this.waiters.shift()!)
      } else {
        return
      }
    }
  }

  private spawnFor(waiter: Waiter): void {
    this.starting++
    startTrainingWorker({ resourceLimits: this.resourceLimits }).then(
      (w) => {
        this.starting--
        if (this.disposed) {
          void w.terminate().catch(() => undefined)
          waiter.reject(new PoolDisposedError())
          return
        }
        this.workers.set(w, null)
        this.busy.add(w)
        // an idle worker that dies frees its slot; a busy one is retired by release()
        w.dead.catch(() => { if (!this.busy.has(w)) this.retire(w) })
        waiter.resolve(w)
      },
      (e: unknown) => {
        this.starting--
        waiter.reject(e instanceof Error ? e : new WorkerCrashError(`the training worker did not start: ${String(e)}`))
        this.pump()
      },
    )
  }

  private release(w: TrainingWorker): void {
    this.busy.delete(w)
    if (!this.workers.has(w)) return
    if (w.alive) this.idle.push(w)
    else this.retire(w)
    this.pump()
  }

  private retire(w: TrainingWorker): void {
    if (!this.workers.delete(w)) return
    for (const [kind, last] of this.lastOfKind) if (last === w) this.lastOfKind.delete(kind)
    this.busy.delete(w)
    this.idle = this.idle.filter((x) => x !== w)
    void w.terminate().catch(() => undefined)
    this.pump()
  }
}
