import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Backend } from '../../../electron/services/backend'
import type { NetworkConfig } from '../../../shared/engine/network-config'
import type { TrainConfig } from '../../../shared/engine/train-config'
import type { BackendEvent } from '../../../shared/ipc'

const NET: NetworkConfig = { inputSize: 784, hiddenSizes: [20], outputSize: 10, activation: 'relu', weightInit: { kind: 'he' } }
const CONFIG: TrainConfig = { network: NET, iters: 100, batchSize: 20, lr: 0.1, seed: 2, evalEvery: 100, evalSamples: 500, sampling: 'replacement' }

let dir: string
let b: Backend
const events: BackendEvent[] = []
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'backend-bounds-'))
  b = await Backend.create({ userDataDir: dir, poolSize: 2 })
  b.onEvent((e) => { events.push(e) })
})
afterAll(async () => {
  await b.dispose()
  await rm(dir, { recursive: true, force: true })
})

const rejection = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a rejection') }, (e: unknown) => e as Error & { errors?: { field: string }[] })

describe('Backend memory budget', () => {
  it('refuses a training run whose network would not fit a worker, before starting it', async () => {
    const e = await rejection(b.startTraining({ config: { ...CONFIG, network: { ...NET, hiddenSizes: [4096, 4096, 4096, 4096] } }, resume: false }))
    expect(e.name).toBe('MemoryBudgetError')
    expect(e.errors?.[0].field).toBe('network.hiddenSizes')
    expect(e.message).toMatch(/over the 1 GiB budget/)
    expect((await b.trainingStatus({})).state).toBe('idle')
  })

  it('refuses a gradient check on more images than fit, naming samples', async () => {
    const e = await rejection(b.gradientCheck({ network: { ...NET, hiddenSizes: [4096, 4096] }, seed: 1, samples: 10_000, useCurrentModel: false }))
    expect(e.name).toBe('MemoryBudgetError')
    expect(e.errors?.[0].field).toBe('samples')
  })
})

describe('Backend.cancelGradientCheck', () => {
  it('makes a running check reject with CancelledError, and the worker serves the next one', async () => {
    // 784·300 weights on 20 images: seconds of work, cancelled after its first progress report
    const check = rejection(b.gradientCheck({ network: { ...NET, hiddenSizes: [300] }, seed: 1, samples: 20, useCurrentModel: false }))
    await expect.poll(() => events.some((e) => e.type === 'gradcheck-progress'), { timeout: 30_000, interval: 20 }).toBe(true)
    expect(await b.cancelGradientCheck({})).toEqual({ cancelled: 1 })
    const e = await check
    expect(e.name).toBe('CancelledError')
    expect(await b.cancelGradientCheck({})).toEqual({ cancelled: 0 })
    const next = await b.gradientCheck({ network: { ...NET, hiddenSizes: [5] }, seed: 1, samples: 2, useCurrentModel: false })
    expect(next.params.map((p) => p.name)).toEqual(['W1', 'b1', 'W2', 'b2'])
  })
})
