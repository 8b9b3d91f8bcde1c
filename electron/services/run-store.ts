import { readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { ModelFile } from '../../shared/model/model-file'
import { runCsv } from '../../shared/runs/run-csv'
import { newRunId, RUN_ID_PATTERN } from '../../shared/runs/run-id'
import { RUN_FORMAT, RUN_VERSION, type RunHistory, type RunListing, type RunMeta, type RunSummary } from '../../shared/runs/run-record'
import { runSummary } from '../../shared/runs/run-summary'
import { formatIssue } from '../../shared/schemas/format-issue'
import { runMetaSchema } from '../../shared/schemas/run-meta-schema'
import type { TrainConfig } from '../../shared/engine/train-config'
import { errorInfo } from '../../shared/error-info'
import { atomicWriteFile } from './atomic-write'
import { loadModel, type ModelParser, parseInline } from './model-store'
import { readRegularFile } from './read-regular-file'
import { LOSS_CHUNK, lossChunkFile, RUN_META_FILE, RUN_MODEL_FILE, RunRecorder } from './run-recorder'

/** run.json is small; anything near this is not one. */
export const RUN_META_MAX_BYTES = 8 * 1024 * 1024

/** Loss points a history sends for charts at most; longer runs are sent as block means. */
export const RUN_HISTORY_POINTS = 4000

/** No run folder has this id. */
export class RunNotFoundError extends Error {
  override name = 'RunNotFoundError'
}

/** A run folder that cannot be read: a run.json that is missing, not JSON or breaks the schema, or losses missing. */
export class RunDamagedError extends Error {
  override name = 'RunDamagedError'
}

/** The run is being written by a training job now. */
export class RunBusyError extends Error {
  override name = 'RunBusyError'
}

export interface RunStart {
  config: TrainConfig
  /** Iterations of the model a resumed run continues; 0 for a fresh one. */
  startIter: number
  dataset: { name: string; fingerprint: string }
  name?: string
}

/**
 * Every training run, one folder each under `dir`: run.json (config, seed, dataset fingerprint,
 * dates, evaluations, summary), the losses in float64 chunks, and model.json once it ends.
 * Each folder is read on its own and checked against runMetaSchema, so a damaged one is listed
 * as damaged and the others are unaffected.
 */
export class RunStore {
  private readonly recorders = new Map<string, RunRecorder>()

  constructor(readonly dir: string, private readonly parseModel: ModelParser = parseInline) {}

  /** Starts recording a run; its folder and first run.json are written before this resolves. */
  async begin(start: RunStart, now = new Date()): Promise<RunRecorder> {
    const id = newRunId(now)
    const n = start.config.network
    const meta: RunMeta = {
      format: RUN_FORMAT, version: RUN_VERSION, id,
      name: start.name ?? `${[n.inputSize, ...n.hiddenSizes, n.outputSize].join('-')} ${start.config.optimizer?.kind ?? 'sgd'} lr ${start.config.lr}`,
      startedAt: now.toISOString(), endedAt: null, seconds: 0, status: 'running',
      config: start.config, startIter: start.startIter, dataset: { ...start.dataset },
      lossCount: 0, evals: [], summary: null, error: null, hasModel: false,
    }
    const recorder = new RunRecorder(join(this.dir, id), meta, () => this.recorders.delete(id))
    this.recorders.set(id, recorder)
    await recorder.start()
    return recorder
  }

  /** Newest first. Folders that fail to read are listed in `damaged` with what is wrong. */
  async list(): Promise<RunListing> {
    let names: string[]
    try {
      names = (await readdir(this.dir, { withFileTypes: true })).filter((d) => d.isDirectory() && RUN_ID_PATTERN.test(d.name)).map((d) => d.name)
    } catch (e) {
      if ((e as { code?: unknown }).code === 'ENOENT') return { runs: [], damaged: [] }
      throw e
    }
    const listing: RunListing = { runs: [], damaged: [] }
    for (const id of names.sort().reverse()) {
      try {
        listing.runs.push(runSummary(await this.meta(id), this.recorders.has(id)))
      } catch (e) {
        listing.damaged.push({ id, problem: errorInfo(e).message })
      }
    }
    return listing
  }

  async summary(id: string): Promise<RunSummary> {
    return runSummary(await this.meta(id), this.recorders.has(id))
  }

  /** The checked run.json of run `id`. */
  async meta(id: string): Promise<RunMeta> {
    const path = join(this.runDir(id), RUN_META_FILE)
    let bytes: Uint8Array
    try {
      bytes = await readRegularFile(path, { maxBytes: RUN_META_MAX_BYTES })
    } catch (e) {
      if ((e as { code?: unknown }).code === 'ENOENT') {
        throw await this.exists(id) ? new RunDamagedError(`run ${id}: ${RUN_META_FILE} is missing`) : new RunNotFoundError(`no run ${id} in ${this.dir}`)
      }
      throw new RunDamagedError(`run ${id}: ${RUN_META_FILE}: ${errorInfo(e).message}`)
    }
    let raw: unknown
    try {
      raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
    } catch {
      throw new RunDamagedError(`run ${id}: ${RUN_META_FILE} is not valid JSON`)
    }
    const r = runMetaSchema.safeParse(raw)
    if (!r.success) {
      const first = formatIssue(r.error.issues[0], false)
      throw new RunDamagedError(`run ${id}: ${RUN_META_FILE}: ${first.field || 'file'}: ${first.message}`)
    }
    if (r.data.id !== id) throw new RunDamagedError(`run ${id}: ${RUN_META_FILE}: id is ${r.data.id}, not the folder's name`)
    return r.data
  }

  /** Every loss the metadata counts, in order. */
  async losses(meta: RunMeta): Promise<Float64Array> {
    const out = new Float64Array(meta.lossCount)
    for (let k = 0; k * LOSS_CHUNK < meta.lossCount; k++) {
      const want = Math.min(LOSS_CHUNK, meta.lossCount - k * LOSS_CHUNK)
      const file = lossChunkFile(k)
      let bytes: Uint8Array
      try {
        bytes = await readRegularFile(join(this.runDir(meta.id), file), { maxBytes: LOSS_CHUNK * 8 })
      } catch (e) {
        throw new RunDamagedError(`run ${meta.id}: ${file}: ${(e as { code?: unknown }).code === 'ENOENT' ? 'missing' : errorInfo(e).message}`)
      }
      if (bytes.length < want * 8) throw new RunDamagedError(`run ${meta.id}: ${file}: ${bytes.length} bytes, expected at least ${want * 8}`)
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      for (let i = 0; i < want; i++) out[k * LOSS_CHUNK + i] = view.getFloat64(i * 8, true)
    }
    return out
  }

  /** Curves for a chart: at most maxPoints block means of the losses and the exact last one, and every evaluation. */
  async history(id: string, maxPoints = RUN_HISTORY_POINTS): Promise<RunHistory> {
    const meta = await this.meta(id)
    const losses = await this.losses(meta)
    const { iters, values } = blockMeans(losses, meta.startIter, maxPoints)
    return { id, name: meta.name, lossIters: iters, losses: values, evals: meta.evals }
  }

  /** The whole history as CSV, and a file name for it. */
  async csv(id: string): Promise<{ fileName: string; csv: string }> {
    const meta = await this.meta(id)
    const losses = await this.losses(meta)
    return { fileName: `run-${id}.csv`, csv: runCsv(meta.startIter, losses, meta.evals) }
  }

  async rename(id: string, name: string): Promise<RunSummary> {
    const recorder = this.recorders.get(id)
    if (recorder) await recorder.rename(name)
    else {
      const meta = await this.meta(id)
      await atomicWriteFile(join(this.runDir(id), RUN_META_FILE), `${JSON.stringify({ ...meta, name })}\n`)
    }
    return this.summary(id)
  }

  /** Removes the run's folder, damaged or not; a run still training is refused. */
  async remove(id: string): Promise<void> {
    if (this.recorders.has(id)) throw new RunBusyError(`run ${id} is still training; stop it before deleting it`)
    if (!await this.exists(id)) throw new RunNotFoundError(`no run ${id} in ${this.dir}`)
    await rm(this.runDir(id), { recursive: true, force: true })
  }

  /** The run's final model. */
  async model(id: string): Promise<ModelFile> {
    const meta = await this.meta(id)
    if (!meta.hasModel) throw new RunNotFoundError(`run ${id} has no model (it ${meta.status === 'failed' ? 'failed' : 'has not finished'})`)
    return (await loadModel(join(this.runDir(id), RUN_MODEL_FILE), this.parseModel)).model
  }

  /** Waits for every run being written to reach the disk (e.g. before the app quits). */
  async flush(): Promise<void> {
    await Promise.all([...this.recorders.values()].map((r) => r.idle()))
  }

  private runDir(id: string): string {
    if (!RUN_ID_PATTERN.test(id)) throw new RunNotFoundError(`no run ${JSON.stringify(id.slice(0, 40))}: a run id looks like 20240131-142501-3fa9c1`)
    return join(this.dir, id)
  }

  private async exists(id: string): Promise<boolean> {
    try {
      return (await readdir(this.dir)).includes(id)
    } catch {
      return false
    }
  }
}

/** Means of consecutive blocks, each at its last iteration (1-based, after startIter), then the exact last loss. */
function blockMeans(losses: Float64Array, startIter: number, maxPoints: number): { iters: Float64Array; values: Float64Array } {
  const n = losses.length
  if (n <= maxPoints) return { iters: Float64Array.from({ length: n }, (_, i) => startIter + i + 1), values: losses }
  const blocks = maxPoints - 1
  const iters = new Float64Array(blocks + 1), values = new Float64Array(blocks + 1)
  for (let b = 0; b < blocks; b++) {
    const lo = Math.floor((b * (n - 1)) / blocks), hi = Math.floor(((b + 1) * (n - 1)) / blocks)
    let sum = 0
    for (let i = lo; i < hi; i++) sum += losses[i]
    iters[b] = startIter + hi
    values[b] = sum / (hi - lo)
  }
  iters[blocks] = startIter + n
  values[blocks] = losses[n - 1]
  return { iters, values }
}
