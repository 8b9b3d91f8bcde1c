import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Backend } from '../../../electron/services/backend'
import { createDispatcher, type Dispatch } from '../../../electron/services/dispatcher'
import type { TrainConfig } from '../../../shared/engine/train-config'
import { BACKEND_METHODS, type BackendEvent, type BackendMethods, type DatasetInfo } from '../../../shared/ipc'
import { IPC_SCHEMAS } from '../../../shared/ipc-schemas'

const CONFIG: TrainConfig = {
  network: { inputSize: 784, hiddenSizes: [10], outputSize: 10, activation: 'relu', weightInit: { kind: 'std', std: 0.01 } },
  iters: 30, batchSize: 10, lr: 0.1, seed: 1, evalEvery: 100, evalSamples: 100, sampling: 'replacement',
}

let root: string
let backend: Backend
let dispatch: Dispatch

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dispatcher-'))
  backend = await Backend.create({ userDataDir: root, poolSize: 1 })
  dispatch = createDispatcher(backend)
})

afterAll(async () => {
  await backend.dispose()
  await rm(root, { recursive: true, force: true })
})

describe('createDispatcher', () => {
  it('has a schema for every back-end method', () => {
    expect(Object.keys(IPC_SCHEMAS).sort()).toEqual([...BACKEND_METHODS].sort())
  })

  it('calls the method and wraps its value', async () => {
    const env = await dispatch('getDataset', {})
    expect(env).toEqual({ ok: true, value: await backend.getDataset({}) })
    expect((env as { value: DatasetInfo }).value.trainCount).toBe(60000)
  })

  it('rejects unknown method names, including inherited ones', async () => {
    for (const method of ['nope', 'constructor', 'toString', '__proto__', 'dispose', 'onEvent', '']) {
      expect(await dispatch(method, {})).toEqual({ ok: false, error: { name: 'IpcValidationError', message: `unknown method ${JSON.stringify(method)}` } })
    }
  })

  it('rejects an invalid payload, naming the method and the field path', async () => {
    const cases: [string, unknown, string][] = [
      ['startTraining', { config: { ...CONFIG, lr: '0.1' }, resume: false }, 'startTraining: config.lr: must be a number > 0 and ≤ 100, got "0.1"'],
      ['startTraining', { config: { ...CONFIG, lr: Number.NaN }, resume: false }, 'startTraining: config.lr: must be a number > 0 and ≤ 100, got NaN'],
      ['startTraining', { config: { ...CONFIG, network: { ...CONFIG.network, hiddenSizes: [10, 2.5] } }, resume: false }, 'startTraining: config.network.hiddenSizes[1]: must be a whole number from 1 to 4096, got 2.5'],
      ['startTraining', { config: CONFIG, resume: false, extra: 1 }, 'startTraining: unknown field "extra"'],
      ['startTraining', { config: CONFIG }, 'startTraining: resume: expected boolean, got nothing'],
      ['getDataset', undefined, 'getDataset: expected object, got nothing'],
      ['openModel', { path: 'x'.repeat(4097) }, 'openModel: path: length must be ≤ 4096, got "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…"'],
      ['datasetSamples', { split: 'validation', start: 0, count: 1 }, 'datasetSamples: split: must be "train" or "test", got "validation"'],
      ['predict', { indices: [1, -1] }, 'predict: indices[1]: must be a whole number from 0 to 100000000, got -1'],
      ['startTraining', { config: { ...CONFIG, lr: 1000, batchSize: 0 }, resume: false }, 'startTraining: config.batchSize: must be a whole number from 1 to 60000, got 0; config.lr: must be a number > 0 and ≤ 100, got 1000'],
      ['gradientCheck', { network: CONFIG.network, seed: 1, samples: 101, useCurrentModel: false }, 'gradientCheck: samples: must be a whole number from 1 to 100, got 101'],
      ['openModel', { path: '  ' }, 'openModel: path: must be a non-empty path, got "  "'],
      ['controlTraining', { jobId: 'train-1', action: 'rewind' }, 'controlTraining: action: must be "pause" or "resume" or "stop" or "step", got "rewind"'],
    ]
    for (const [method, payload, message] of cases) {
      expect(await dispatch(method, payload)).toEqual({ ok: false, error: { name: 'IpcValidationError', message } })
    }
  })

  it('keeps the reply to a huge bad payload small', async () => {
    const junk = Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`key${i}`, i]))
    const bad = await dispatch('startTraining', { config: { ...CONFIG, ...junk }, resume: false })
    expect(bad).toEqual({ ok: false, error: { name: 'IpcValidationError', message: 'startTraining: config: unknown fields "key0", "key1", "key2" and 59997 more' } })
    const many = await dispatch('predict', { indices: Array.from({ length: 5000 }, () => -1) })
    expect((many as { error: { message: string } }).error.message).toMatch(/; and 4997 more$/)
    expect(JSON.stringify(many).length).toBeLessThan(400)
  })

  it('keeps the name of an error the back end throws, and never its stack', async () => {
    const bad = await dispatch('startTraining', { config: { ...CONFIG, network: { ...CONFIG.network, inputSize: 5 } }, resume: false })
    expect(bad).toEqual({ ok: false, error: { name: 'ConfigError', message: expect.stringMatching(/^network.inputSize: must be 784/) } })
    expect(Object.keys((bad as { error: object }).error).sort()).toEqual(['message', 'name'])
    expect(await dispatch('predict', { indices: [0] })).toMatchObject({ ok: false, error: { name: 'NoModelError' } })
    expect(await dispatch('saveModel', { path: null })).toMatchObject({ ok: false, error: { name: 'NoModelError' } })
    expect(await dispatch('controlTraining', { jobId: 'train-42', action: 'stop' })).toMatchObject({ ok: false, error: { name: 'TrainingControlError' } })
  })

  it('drives a training job end to end with plain payloads', async () => {
    const finished = new Promise<BackendEvent>((resolve) => {
      const off = backend.onEvent((e) => { if (e.type === 'train-finished' || e.type === 'train-failed') { off(); resolve(e) } })
    })
    const started = await dispatch('startTraining', { config: CONFIG, resume: false })
    expect(started).toEqual({ ok: true, value: { jobId: expect.stringMatching(/^train-/) } })
    expect(await finished).toMatchObject({ type: 'train-finished', stopped: false, summary: { iterations: 30 } })
    const model = await dispatch('currentModel', {})
    expect(model).toMatchObject({ ok: true, value: { unsaved: true, summary: { iterations: 30 } } })
  })

  it('turns anything thrown into a named error envelope', async () => {
    const throwing = { getDataset: () => Promise.reject('plain string') } as unknown as BackendMethods
    expect(await createDispatcher(throwing)('getDataset', {})).toEqual({ ok: false, error: { name: 'Error', message: 'plain string' } })
    const typed = { getDataset: async () => { throw new TypeError('boom') } } as unknown as BackendMethods
    expect(await createDispatcher(typed)('getDataset', {})).toEqual({ ok: false, error: { name: 'TypeError', message: 'boom' } })
  })
})
