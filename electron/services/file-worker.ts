import { transfer } from 'comlink'
import type { Dataset } from '../../shared/data/dataset'
import { ModelFileError, type ModelFile } from '../../shared/model/model-file'
import type { NpzImport } from '../../shared/model/model-from-npz'
import { NpzError } from '../../shared/model/npz-error'
import type { DatasetInput, FileApi } from '../workers/file-api'
import { ComlinkWorker, WorkerCrashError } from './comlink-worker'

/**
 * The file worker's heap. A model file is at most 128 MB of text, which JSON.parse and the
 * decoded weights fit in; a file built to explode in memory kills this worker alone.
 * A dataset's bytes and pixel lists are shared memory, outside this heap.
 */
const FILE_WORKER_HEAP_MB = 768
/** An idle worker is ended after this long, and its heap with it; the next call starts another. */
const IDLE_MS = 2000

export interface FileWorkerOptions {
  /** false: the idle worker does not keep the process alive (see ComlinkWorkerOptions). */
  keepsProcessAlive?: boolean
  /** How long an idle worker lives; IDLE_MS unless set. */
  idleMs?: number
}

/**
 * Parses files on one worker thread, started on first use and restarted after a crash, so that
 * no file can block the main process or exhaust its heap. Calls run one at a time, in order.
 */
export class FileWorker {
  private worker: Promise<ComlinkWorker<FileApi>> | null = null
  private queue: Promise<unknown> = Promise.resolve()
  private disposed = false
  private pending = 0
  private idle: ReturnType<typeof setTimeout> | null = null
  /** A call since the worker was last busy asked for it to end as soon as it is idle. */
  private retireWhenIdle = false

  constructor(private readonly options: FileWorkerOptions = {}) {}

  /** The checked model; a ModelFileError when the file is wrong, however it fails. */
  parseModel(bytes: Uint8Array, source: string): Promise<ModelFile> {
    return this.enqueue(async (worker) => {
      try {
        // a fresh buffer the worker can own: the caller's view may share memory with others
        const own = bytes.slice()
        return await worker.call((api) => api.parseModel(transfer(own, [own.buffer]), source))
      } catch (e) {
        if (!(e instanceof WorkerCrashError)) throw e
        throw new ModelFileError(source, '', 'too complex to read: parsing it ran out of memory')
      }
    })
  }

  /** The model in an .npz; an NpzError when the file is wrong, however it fails. */
  parseNpz(bytes: Uint8Array, source: string): Promise<NpzImport> {
    return this.enqueue(async (worker) => {
      try {
        const own = bytes.slice()
        return await worker.call((api) => api.parseNpz(transfer(own, [own.buffer]), source))
      } catch (e) {
        if (!(e instanceof WorkerCrashError)) throw e
        throw new NpzError(source, '', 'too large to read: reading it ran out of memory')
      }
    })
  }

  /**
   * FileApi.buildDataset on the worker. The input's bytes should view SharedArrayBuffers: they
   * then cross without a copy, and so do the Dataset's labels and pixel lists coming back.
   * A failure keeps its error's name and message (IdxFormatError, DatasetTooLargeError).
   */
  buildDataset(input: DatasetInput): Promise<Dataset> {
    // the files' bytes (55 MB for MNIST) are garbage in the worker afterwards, but stay resident
    // until its heap is collected or it ends: it ends as soon as it is idle
    return this.enqueue((worker) => worker.call((api) => api.buildDataset(input)), true)
  }

  /** Whether a worker thread is running (or starting) now. */
  get running(): boolean {
    return this.worker !== null
  }

  async dispose(): Promise<void> {
    this.disposed = true
    if (this.idle) clearTimeout(this.idle)
    const w = this.worker
    this.worker = null
    if (w) await (await w).terminate().catch(() => undefined)
  }

  /** Runs `job` after the calls before it; a crash drops the worker, so the next call starts a new one. */
  private enqueue<T>(job: (worker: ComlinkWorker<FileApi>) => Promise<T>, retireWhenIdle = false): Promise<T> {
    this.pending++
    this.retireWhenIdle ||= retireWhenIdle
    if (this.idle) clearTimeout(this.idle)
    this.idle = null
    const run = this.queue.then(async () => {
      if (this.disposed) throw new WorkerCrashError('the file worker has been shut down')
      const worker = await this.current()
      try {
        return await job(worker)
      } finally {
        // calls run one at a time, so the worker held is still the current one
        if (!worker.alive) this.worker = null
      }
    })
    this.queue = run.catch(() => undefined).finally(() => {
      if (--this.pending === 0 && !this.disposed) {
        this.idle = setTimeout(() => this.retire(), this.retireWhenIdle ? 0 : this.options.idleMs ?? IDLE_MS)
        this.idle.unref()
        this.retireWhenIdle = false
      }
    })
    return run
  }

  /** Ends the idle worker: whatever a parse left in its heap goes with it. */
  private retire(): void {
    this.idle = null
    if (this.pending > 0) return
    const w = this.worker
    this.worker = null
    if (w) void w.then((worker) => worker.terminate()).catch(() => undefined)
  }

  private current(): Promise<ComlinkWorker<FileApi>> {
    this.worker ??= ComlinkWorker.start<FileApi>('file', {
      resourceLimits: { maxOldGenerationSizeMb: FILE_WORKER_HEAP_MB },
      keepsProcessAlive: this.options.keepsProcessAlive,
    })
    const started = this.worker
    started.catch(() => { if (this.worker === started) this.worker = null })
    return started
  }
}

let shared: FileWorker | null = null

/**
 * The process's one file worker (dataset loader, model files): started on first
 * use, never disposed, and idle it does not keep the process alive.
 */
export function sharedFileWorker(): FileWorker {
  shared ??= new FileWorker({ keepsProcessAlive: false })
  return shared
}
