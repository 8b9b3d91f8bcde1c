import { beforeAll, describe, expect, it } from 'vitest'
import { loadDefaultDataset } from '../../../electron/services/dataset-loader'
import { createTrainingApi } from '../../../electron/workers/training-api'
import type { Dataset } from '../../../shared/data/dataset'
import type { NetworkConfig } from '../../../shared/engine/network-config'
import type { TrainConfig } from '../../../shared/engine/train-config'
import { CONTROL, QUIT, STOP, newCancelFlag, type TrainProgress } from '../../../shared/training-events'

const NET: NetworkConfig = { inputSize: 784, hiddenSizes: [10], outputSize: 10, activation: 'relu', weightInit: { kind: 'he' } }
/** A snapshot at every iteration: the case that used to queue weights without limit. */
const EVERY: TrainConfig = { network: NET, iters: 300, batchSize: 1, lr: 0.1, seed: 5, evalEvery: 1, evalSamples: 100, sampling: 'replacement' }

let mnist: Dataset
beforeAll(async () => { mnist = await loadDefaultDataset() })

const newControl = () => new Int32Array(new SharedArrayBuffer(CONTROL.LENGTH * 4))

/** The API called in this thread: train's loop runs to its end before the call returns. */
function api() {
  const a = createTrainingApi()
  a.setDataset(mnist)
  return a
}

describe('snapshots sent by a training worker', () => {
  it('go one at a time: none follows until the main process has taken the last', async () => {
    const control = newControl()
    const messages: TrainProgress[] = []
    const result = await api().train({ config: EVERY, offloadEval: true }, control, (p) => { messages.push(p) })
    // nobody took the first snapshot, so it is the only one sent in 300 evaluation points
    expect(messages.flatMap((m) => m.snapshots ?? []).map((s) => s.iter)).toEqual([0])
    expect(Atomics.load(control, CONTROL.SNAPSHOT)).toBe(1)
    expect(result.summary.iterations).toBe(300)
  })

  it('replace each other while one is in transit, so the one sent next is the newest', async () => {
    const control = newControl()
    const sent: { iter: number; at: number }[] = []
    let took = false
    await api().train({ config: { ...EVERY, iters: 3000 }, offloadEval: true }, control, (p) => {
      // a snapshot is taken one message late (a timed flush), so the worker holds others meanwhile
      if (took) { Atomics.store(control, CONTROL.SNAPSHOT, 0); took = false }
      for (const s of p.snapshots ?? []) { sent.push({ iter: s.iter, at: p.iter }); took = true }
    })
    expect(sent[0]).toEqual({ iter: 0, at: 1 })
    // every later one is of the weights just before it went out, not of the oldest point held
    for (const s of sent.slice(1)) expect(s.iter).toBe(s.at - 1)
    expect(sent.length).toBeLessThan(3000)
  })

  it('all go out, in order, when the main process takes each at once', async () => {
    const control = newControl()
    const taken: number[] = []
    await api().train({ config: EVERY, offloadEval: true }, control, (p) => {
      for (const s of p.snapshots ?? []) taken.push(s.iter)
      if (p.snapshots?.length) Atomics.store(control, CONTROL.SNAPSHOT, 0)
    })
    expect(taken).toEqual(Array.from({ length: 300 }, (_, i) => i))
  })

  it('stop still evaluates the final weights inline; quit does not', async () => {
    const inline = { ...EVERY, evalEvery: 1000 }
    const stop = newControl()
    Atomics.store(stop, CONTROL.STATE, STOP)
    const stopped = await api().train({ config: inline }, stop, () => undefined)
    expect(stopped.stopped).toBe(true)
    expect(stopped.evals).toHaveLength(1)

    const quit = newControl()
    Atomics.store(quit, CONTROL.STATE, QUIT)
    const quitted = await api().train({ config: inline }, quit, () => undefined)
    expect(quitted.stopped).toBe(true)
    expect(quitted.evals).toHaveLength(0)
  })
})

describe('cancel flags', () => {
  it('make evaluate and gradientCheck throw CancelledError', () => {
    const a = api()
    const flag = newCancelFlag()
    Atomics.store(flag, 0, 1)
    expect(() => a.gradientCheck({ network: NET, seed: 1, samples: 2 }, undefined, flag)).toThrow(expect.objectContaining({ name: 'CancelledError' }))
    const fresh = newCancelFlag()
    expect(a.gradientCheck({ network: NET, seed: 1, samples: 1 }, undefined, fresh).params).toHaveLength(4)
  })

  it('stop an evaluation between chunks of images', async () => {
    const a = api()
    const run = await a.train({ config: { ...EVERY, iters: 1 } }, newControl(), () => undefined)
    const flag = newCancelFlag()
    const req = { network: NET, params: run.params, evalSamples: 0 }
    expect(a.evaluate(req, flag).trainAcc).toBeGreaterThan(0)
    Atomics.store(flag, 0, 1)
    expect(() => a.evaluate(req, flag)).toThrow(expect.objectContaining({ name: 'CancelledError' }))
  })
})
