import type { ResourceLimits, Worker } from 'node:worker_threads'
import { releaseProxy, wrap, type Remote } from 'comlink'
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs'
import { spawnWorker, type WorkerName } from './spawn-worker'

export type { WorkerName }

/** A worker that died, threw outside a call, or ran out of memory; no pending call hangs on it. */
export class WorkerCrashError extends Error {
  override name = 'WorkerCrashError'
}

export interface ComlinkWorkerOptions {
  /** Caps the worker's heap, so a runaway job fails alone instead of taking the app down. */
  resourceLimits?: ResourceLimits
  /**
   * false: an idle worker does not keep the process alive, so a CLI or a test that used it exits
   * when its own work is done. The worker is held only while it starts or a call is pending.
   */
  keepsProcessAlive?: boolean
}

/**
 * One worker thread and its Comlink proxy. Comlink ignores a worker's error and exit events, so
 * every call is raced against the worker's death: a call never hangs on a dead worker.
 */
export class ComlinkWorker<Api> {
  readonly api: Remote<Api>
  /** Rejects with WorkerCrashError when the worker errors or exits; never resolves. */
  readonly dead: Promise<never>
  private exited = false
  /** Starts and calls pending, while an idle worker lets the process exit. */
  private pending = 0

  private constructor(readonly worker: Worker, readonly name: WorkerName, private readonly idleUnref: boolean) {
    this.api = wrap<Api>(nodeEndpoint(worker))
    this.dead = new Promise<never>((_, reject) => {
      worker.on('error', (e: Error) => {
        this.exited = true
        const oom = (e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY'
        reject(new WorkerCrashError(oom ? `the ${name} worker ran out of memory` : `the ${name} worker crashed: ${e.message}`))
      })
      worker.on('exit', (code) => {
        this.exited = true
        reject(new WorkerCrashError(`the ${name} worker exited unexpectedly (code ${code})`))
      })
    })
    // a rejection nobody awaits yet must not become an unhandled rejection
    this.dead.catch(() => {})
    if (idleUnref) worker.unref()
  }

  /** Starts the worker and waits for its 'ready' message, sent once its API is exposed. */
  static async start<Api>(name: WorkerName, options: ComlinkWorkerOptions = {}): Promise<ComlinkWorker<Api>> {
    const w = new ComlinkWorker<Api>(spawnWorker(name, { resourceLimits: options.resourceLimits }), name, options.keepsProcessAlive === false)
    const ready = new Promise<void>((resolve) => {
      const onMessage = (m: unknown) => {
        if (m === 'ready') { w.worker.off('message', onMessage); resolve() }
      }
      w.worker.on('message', onMessage)
    })
    await w.held(Promise.race([ready, w.dead]))
    return w
  }

  get alive(): boolean {
    return !this.exited
  }

  /** Runs a call on the worker; rejects instead of hanging if the worker dies first. */
  call<T>(fn: (api: Remote<Api>) => Promise<T>): Promise<T> {
    if (this.exited) return Promise.reject(new WorkerCrashError(`the ${this.name} worker is not running`))
    return this.held(Promise.race([fn(this.api), this.dead]))
  }

  /** `work`, keeping the process alive until it settles even when the idle worker would not. */
  private held<T>(work: Promise<T>): Promise<T> {
    if (!this.idleUnref) return work
    if (this.pending++ === 0) this.worker.ref()
    const release = () => { if (--this.pending === 0) this.worker.unref() }
    work.then(release, release)
    return work
  }

  async terminate(): Promise<void> {
    this.exited = true
    this.api[releaseProxy]()
    await this.worker.terminate()
  }
}
