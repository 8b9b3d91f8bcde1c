import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Backend } from '../../../electron/services/backend'
import { createDispatcher } from '../../../electron/services/dispatcher'
import { BOOK_TRAINING, type TrainConfig } from '../../../shared/engine/train-config'
import type { BackendEvent, SweepSpec } from '../../../shared/ipc'

const CONFIG: TrainConfig = { ...BOOK_TRAINING, network: { ...BOOK_TRAINING.network, hiddenSizes: [16] }, iters: 150, batchSize: 20, evalEvery: 50, evalSamples: 300, optimizer: { kind: 'adam' }, lr: 0.01 }
const poll = <T>(fn: () => T) => expect.poll(fn, { timeout: 60_000, interval: 20 })

let root: string
let backend: Backend
const events: BackendEvent[] = []

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'backend-runs-'))
  backend = await Backend.create({ userDataDir: root, poolSize: 2 })
  backend.onEvent((e) => events.push(e))
})

afterAll(async () => {
  await backend?.dispose()
  await rm(root, { recursive: true, force: true })
})

describe('Backend: run library', () => {
  it('records every run under <userData>/runs, with its history and model', async () => {
    const { jobId } = await backend.startTraining({ config: CONFIG, resume: false })
    await poll(() => events.some((e) => e.type === 'train-finished' && e.jobId === jobId)).toBe(true)
    await poll(async () => (await backend.listRuns({})).runs[0]?.status).toBe('finished')
    const [run] = (await backend.listRuns({})).runs
    const finished = events.find((e) => e.type === 'train-finished' && e.jobId === jobId) as Extract<BackendEvent, { type: 'train-finished' }>
    expect(run).toMatchObject({ iterations: 150, testAcc: finished.summary.testAcc, hasModel: true })
    expect(run.config.optimizer).toEqual({ kind: 'adam', beta1: 0.9, beta2: 0.999 })
    const h = await backend.runHistory({ id: run.id })
    expect(h.losses).toHaveLength(150)
    expect(h.evals).toEqual(finished.evals)
    const { csv } = await backend.runCsv({ id: run.id })
    expect(csv.split('\n')).toHaveLength(152)
    const opened = await backend.openRunModel({ id: run.id })
    expect(opened.summary).toEqual(finished.summary)
    expect(events.filter((e) => e.type === 'runs-changed').length).toBeGreaterThanOrEqual(2)
    const out = join(root, 'chart.png')
    const png = 'data:image/png;base64,iVBORw0KGgo='
    expect(await backend.saveExport({ kind: 'png', fileName: 'chart.png', data: png, path: out })).toEqual({ path: out })
    expect((await readFile(out)).subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]))
  })

  it('refuses a sweep while a run trains and a run while a sweep runs, with one clear line', async () => {
    const dispatch = createDispatcher(backend)
    const { jobId } = await backend.startTraining({ config: { ...CONFIG, iters: 10_000_000 }, resume: false })
    const spec: SweepSpec = { mode: 'grid', trials: 4, iters: 100_000, seed: 1, base: CONFIG, space: { lr: [0.01, 0.1], optimizer: ['sgd', 'adam'] } }
    await expect(backend.startSweep({ spec })).rejects.toThrow(`startSweep: training job ${jobId} is running; stop it or let it finish first`)
    await backend.controlTraining({ jobId, action: 'stop' })
    await poll(() => events.some((e) => e.type === 'train-finished' && e.jobId === jobId)).toBe(true)
    await poll(async () => (await backend.trainingStatus({})).state).toBe('idle')
    expect(await backend.startSweep({ spec })).toMatchObject({ trials: 4 })
    await expect(backend.startTraining({ config: CONFIG, resume: false })).rejects.toThrow('startTraining: a sweep is running; cancel it or let it finish first')
    await poll(() => events.filter((e) => e.type === 'sweep-trial' && e.trial.state === 'running').length).toBeGreaterThan(1)
    const cancelling = await backend.cancelSweep({})
    expect(cancelling.state).toBe('cancelling')
    await poll(() => events.some((e) => e.type === 'sweep-finished')).toBe(true)
    const status = await backend.sweepStatus({})
    expect(status.state).toBe('cancelled')
    expect(status.trials.every((t) => t.state === 'cancelled')).toBe(true)
    // bad requests are refused at the boundary, naming the field
    const bad = await dispatch('startSweep', { spec: { ...spec, space: { lr: [0] } } })
    expect(bad).toMatchObject({ ok: false, error: { name: 'IpcValidationError' } })
    expect(!bad.ok && bad.error.message).toMatch(/^startSweep: spec\.space\.lr\[0\]: must be a number > 0/)
    const grid = await dispatch('startSweep', { spec: { ...spec, trials: 2 } })
    expect(!grid.ok && grid.error.message).toBe('trials: the grid has 4 combinations, more than the 2 trials; raise trials to 4, shorten the lists, or search at random')
    const id = await dispatch('runHistory', { id: '../x' })
    expect(!id.ok && id.error.message).toMatch(/id: must be a run id/)
  })
})
