import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Worker, type WorkerOptions } from 'node:worker_threads'

/** The worker entries: electron/workers/<name>.worker.ts, bundled as out/main/<name>.worker.js. */
export type WorkerName = 'training' | 'file' | 'kernel-helper'

/**
 * Where a worker's entry is: next to the bundle in a build (out/main/<name>.worker.js), or the
 * TypeScript source when running under tsx or vitest.
 */
function workerEntry(name: WorkerName): { url: URL; source: boolean } {
  const here = import.meta.url
  const source = here.endsWith('.ts')
  const url = new URL(source ? `../workers/${name}.worker.ts` : `./${name}.worker.js`, here)
  // A packaged app keeps the worker bundles unpacked beside app.asar (electron-builder.yml
  // asarUnpack): worker_threads loads its entry through Node's own loader, which cannot read an asar.
  if (url.pathname.includes('/app.asar/')) url.pathname = url.pathname.replace('/app.asar/', '/app.asar.unpacked/')
  return { url, source }
}

/** Starts the worker thread `name`, from its bundle or, under tsx and vitest, its TypeScript source. */
export function spawnWorker(name: WorkerName, options: WorkerOptions = {}): Worker {
  const { url, source } = workerEntry(name)
  if (!source) return new Worker(url, options)
  // from source, through boot code that registers tsx's loader in the worker first; it lives in a
  // file of its own, so that no build of this module holds an import of tsx
  const boot = readFileSync(fileURLToPath(new URL('./tsx-worker-boot.mjs', import.meta.url)), 'utf8')
  return new Worker(boot, { ...options, eval: true, argv: [url.href] })
}
