import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { ModelFile } from '../../shared/model/model-file'
import { RUN_EVALS_MAX, type RunMeta } from '../../shared/runs/run-record'
import type { EvalReport, TrainProgress, TrainResult } from '../../shared/training-events'
import type { ErrorInfo } from '../../shared/ipc'
import { errorInfo } from '../../shared/error-info'
import { atomicWriteFile } from './atomic-write'
import { saveModel } from './model-store'

/** Losses per chunk file: 64 Ki float64s, 512 KB. Only the last, growing chunk is ever rewritten. */
export const LOSS_CHUNK = 65_536

/** A running run's history reaches the disk at every evaluation, and at least this often. */
export const RUN_FLUSH_MS = 5000

export const RUN_META_FILE = 'run.json'
export const RUN_MODEL_FILE = 'model.json'

/** `loss-000003.f64`: losses 3·LOSS_CHUNK … 4·LOSS_CHUNK − 1 of the run, float64 little-endian. */
export function lossChunkFile(k: number): string {
  return `loss-${String(k).padStart(6, '0')}.f64`
}

/**
 * Writes one run into its folder while it trains. Every write is atomic (temp file, fsync,
 * rename) and the losses go before the metadata that counts them, so after a crash the folder
 * holds the last history flushed: run.json's lossCount never exceeds the losses on disk.
 * Write failures never reach training; they are reported as process warnings.
 */
export class RunRecorder {
  private losses = new Float64Array(1024)
  private count = 0
  private evals: EvalReport[] = []
  private chunksWritten = 0
  private lastFlush = 0
  private queue: Promise<void> = Promise.resolve()
  private pending = false
  private ended = false
  private ending: Promise<void> | null = null
  private readonly t0: number

  constructor(readonly dir: string, private meta: RunMeta, private readonly onEnd: () => void) {
    this.t0 = Date.parse(meta.startedAt)
  }

  get id(): string {
    return this.meta.id
  }

  /** Writes the folder and its first run.json; resolves once they are on disk. */
  start(): Promise<void> {
    return this.enqueue()
  }

  /** The losses and evaluations of one progress message; flushes at an evaluation or every RUN_FLUSH_MS. */
  progress(p: TrainProgress): void {
    if (this.ended) return
    this.append(p.losses)
    if (p.evals.length) this.evals.push(...p.evals)
    const now = Date.now()
    if (p.evals.length || now - this.lastFlush >= RUN_FLUSH_MS) {
      this.lastFlush = now
      void this.enqueue()
    }
  }

  rename(name: string): Promise<void> {
    this.meta = { ...this.meta, name }
    return this.enqueue()
  }

  /** Resolves once everything asked so far, the end of the run included, is on disk (or has failed). */
  idle(): Promise<void> {
    return this.ending ?? this.enqueue()
  }

  /** The run's own record replaces what progress gathered; the model goes beside it. */
  finish(result: TrainResult, model: ModelFile): Promise<void> {
    if (this.ended) return this.idle()
    this.ended = true
    this.ending = this.end(result, model)
    return this.ending
  }

  private async end(result: TrainResult, model: ModelFile): Promise<void> {
    await this.queue
    // the result's losses are the record: chunks written from progress are written again once
    this.losses = new Float64Array(0)
    this.count = 0
    this.chunksWritten = 0
    this.append(result.losses)
    this.evals = [...result.evals]
    let hasModel = true
    try {
      await mkdir(this.dir, { recursive: true })
      await saveModel(join(this.dir, RUN_MODEL_FILE), model)
    } catch (e) {
      hasModel = false
      warn(this.dir, e)
    }
    this.meta = { ...this.meta, status: result.stopped ? 'stopped' : 'finished', summary: result.summary, hasModel }
    await this.close()
  }

  fail(error: ErrorInfo): Promise<void> {
    if (this.ended) return this.idle()
    this.ended = true
    this.meta = { ...this.meta, status: 'failed', error: { name: error.name, message: error.message.slice(0, 2000) } }
    this.ending = this.close()
    return this.ending
  }

  private async close(): Promise<void> {
    this.meta = { ...this.meta, endedAt: new Date().toISOString() }
    await this.enqueue()
    this.onEnd()
  }

  private append(values: Float64Array): void {
    if (this.count + values.length > this.losses.length) {
      const grown = new Float64Array(Math.max(this.losses.length * 2, this.count + values.length))
      grown.set(this.losses.subarray(0, this.count))
      this.losses = grown
    }
    this.losses.set(values, this.count)
    this.count += values.length
  }

  /** One write at a time, in order; a write asked for while one waits is folded into it. */
  private enqueue(): Promise<void> {
    if (this.pending) return this.queue
    this.pending = true
    this.queue = this.queue.then(async () => {
      this.pending = false
      try {
        await this.write()
      } catch (e) {
        warn(this.dir, e)
      }
    })
    return this.queue
  }

  private async write(): Promise<void> {
    const n = this.count
    const full = Math.floor(n / LOSS_CHUNK)
    await mkdir(this.dir, { recursive: true })
    for (let k = this.chunksWritten; k < full; k++) await atomicWriteFile(join(this.dir, lossChunkFile(k)), littleEndian(this.losses, k * LOSS_CHUNK, (k + 1) * LOSS_CHUNK))
    this.chunksWritten = full
    if (n > full * LOSS_CHUNK) await atomicWriteFile(join(this.dir, lossChunkFile(full)), littleEndian(this.losses, full * LOSS_CHUNK, n))
    const evals = this.evals.length > RUN_EVALS_MAX ? this.evals.slice(-RUN_EVALS_MAX) : this.evals
    const meta: RunMeta = { ...this.meta, lossCount: n, evals, seconds: Math.max(0, (Date.now() - this.t0) / 1000) }
    await atomicWriteFile(join(this.dir, RUN_META_FILE), `${JSON.stringify(meta)}\n`)
  }
}

function littleEndian(values: Float64Array, from: number, to: number): Uint8Array {
  const out = new Uint8Array((to - from) * 8)
  const view = new DataView(out.buffer)
  for (let i = from; i < to; i++) view.setFloat64((i - from) * 8, values[i], true)
  return out
}

function warn(dir: string, e: unknown): void {
  process.emitWarning(`cannot write the run in ${dir}: ${errorInfo(e).message}`)
}
