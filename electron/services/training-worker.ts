import { Worker, type ResourceLimits } from 'node:worker_threads'
import { releaseProxy, wrap, type Remote } from 'comlink'
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs'
import type { TrainingApi } from '../workers/training-api'

/** A worker that died, threw outside a call, or ran out of memory; no pending call hangs on it. */
export class WorkerCrashError extends Error {
  override name = 'WorkerCrashError'
}

export interface TrainingWorkerOptions {
  /** Caps the worker's heap, so a runaway job fails alone instead of taking the app down. */
  resourceLimits?: ResourceLimits
}

/**
 * Where the worker's entry is: next to the bundle in a build (out/main/training.worker.js),
 * or the TypeScript source when running under tsx or vitest.
 */
function workerEntry(): { url: URL; source: boolean } {
  const here = import.meta.url
  const source = here.endsWith('.ts')
  const rel = source ? '../workers/training.worker.ts' : './training.worker.js'
  const url = new URL(rel, here)
  // A packaged app keeps out/main unpacked beside app.asar (electron-builder.yml asarUnpack):
  // worker_threads loads its entry through Node's own loader, which cannot read inside an asar.
  if (url.pathname.includes('/app.asar/')) url.pathname = url.pathname.replace('/app.asar/', '/app.asar.unpacked/')
  return { url, source }
}

function spawn(limits?: ResourceLimits): Worker {
  const { url, source } = workerEntry()
  if (!source) return new Worker(url, { resourceLimits: limits })
  // Node 20 does not pass tsx's loader to workers through execArgv; register it inside the worker.
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url.href)}) })`
  return new Worker(boot, { eval: true, resourceLimits: limits })
}

/** One worker thread and its Comlink proxy. Every call is raced against the worker's death. */
export class TrainingWorker {
  readonly api: Remote<TrainingApi>
  /** Rejects with WorkerCrashError when the worker errors or exits; never resolves. */
  readonly dead: Promise<never>
  private exited = false

  private constructor(readonly worker: Worker) {
    this.api = wrap<TrainingApi>(nodeEndpoint(worker))
    this.dead = new Promise<never>((_, reject) => {
      worker.on('error', (e: Error) => {
        this.exited = true
        const oom = (e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY'
        reject(new WorkerCrashError(oom ? 'the training worker ran out of memory' : `the training worker crashed: ${e.message}`))
      })
      worker.on('exit', (code) => {
        this.exited = true
        reject(new WorkerCrashError(`the training worker exited unexpectedly (code ${code})`))
      })
    })
    // a rejection nobody awaits yet must not become an unhandled rejection
    this.dead.catch(() => {})
  }

  static async start(options: TrainingWorkerOptions = {}): Promise<TrainingWorker> {
    const w = new TrainingWorker(spawn(options.resourceLimits))
    const ready = new Promise<void>((resolve) => {
      const onMessage = (m: unknown) => {
        if (m === 'ready') { w.worker.off('message', onMessage); resolve() }
      }
      w.worker.on('message', onMessage)
    })
    await Promise.race([ready, w.dead])
    return w
  }

  get alive(): boolean {
    return !this.exited
  }

  /** Runs a call on the worker; rejects instead of hanging if the worker dies first. */
  call<T>(fn: (api: Remote<TrainingApi>) => Promise<T>): Promise<T> {
    if (this.exited) return Promise.reject(new WorkerCrashError('the training worker is not running'))
    return Promise.race([fn(this.api), this.dead])
  }

  async terminate(): Promise<void> {
    this.exited = true
    this.api[releaseProxy]()
    await this.worker.terminate()
  }
}
