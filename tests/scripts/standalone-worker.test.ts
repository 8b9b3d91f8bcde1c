/**
 * Each built worker (out/main/<name>.worker.js, from scripts/standalone-worker.ts) is one
 * self-contained file: the training worker, copied alone into an empty folder as electron-builder
 * unpacks it beside app.asar, starts and answers over Comlink.
 */
import { copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { isBuiltin } from 'node:module'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { proxy, wrap, type Remote } from 'comlink'
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TrainingApi } from '../../electron/workers/training-api'
import type { TrainConfig } from '../../shared/engine/train-config'

const OUT_MAIN = join(import.meta.dirname, '../../out/main')
const BUILT = join(OUT_MAIN, 'training.worker.js')

let work: string
let worker: Worker

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'standalone-worker-'))
  await copyFile(BUILT, join(work, 'training.worker.js'))
})

afterAll(async () => {
  await worker?.terminate()
  await rm(work, { recursive: true, force: true })
})

describe('the built workers', () => {
  it('are one per electron/workers/*.worker.ts, and import nothing but Node built-ins', async () => {
    const sources = (await readdir(join(import.meta.dirname, '../../electron/workers'))).filter((f) => f.endsWith('.worker.ts'))
    const built = (await readdir(OUT_MAIN)).filter((f) => f.endsWith('.worker.js'))
    expect(built.sort()).toEqual(sources.map((f) => f.replace(/\.ts$/, '.js')).sort())
    for (const file of built) {
      const source = await readFile(join(OUT_MAIN, file), 'utf8')
      const specifiers = [...source.matchAll(/(?:^|\n)\s*import\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)]
        .map((m) => m[1] ?? m[2])
      expect(specifiers.length, file).toBeGreaterThan(0)
      expect(specifiers.filter((s) => !isBuiltin(s ?? '')), file).toEqual([])
    }
  })

  it('training: runs alone in an empty folder and answers over Comlink', async () => {
    worker = new Worker(join(work, 'training.worker.js'))
    await new Promise<void>((resolve, reject) => {
      worker.once('message', (m) => (m === 'ready' ? resolve() : reject(new Error(`first message: ${String(m)}`))))
      worker.once('error', reject)
    })
    const api: Remote<TrainingApi> = wrap<TrainingApi>(nodeEndpoint(worker))
    const count = 8
    const split = { images: new Uint8Array(new SharedArrayBuffer(count * 4)), labels: new Uint8Array(new SharedArrayBuffer(count)), count }
    expect(await api.setDataset({ name: 'tiny', fingerprint: 'tiny', rows: 2, cols: 2, classes: 2, train: split, test: split }))
      .toEqual({ name: 'tiny', train: 8, test: 8 })
    const config: TrainConfig = {
      network: { inputSize: 5, hiddenSizes: [3], outputSize: 2, activation: 'relu', weightInit: { kind: 'he' } },
      iters: 1, batchSize: 4, lr: 0.1, seed: 1, evalEvery: 1, evalSamples: 0, sampling: 'replacement',
    }
    const error = await api.train({ config }, new Int32Array(new SharedArrayBuffer(64)), proxy(() => undefined)).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'DatasetMismatchError', message: expect.stringContaining('5 inputs') })
  })
})
