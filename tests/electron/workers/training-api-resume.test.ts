import { MessageChannel } from 'node:worker_threads'
import { expose, proxy, releaseProxy, wrap, type Remote } from 'comlink'
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { loadDefaultDataset } from '../../../electron/services/dataset-loader'
import { createTrainingApi, type TrainingApi } from '../../../electron/workers/training-api'
import type { Dataset } from '../../../shared/data/dataset'
import type { NamedParam, NetworkConfig } from '../../../shared/engine/network-config'
import type { TrainConfig } from '../../../shared/engine/train-config'
import { parseModel, serializeModel } from '../../../shared/model/model-file'
import { modelFromRun } from '../../../shared/model/model-from-run'
import { startFrom } from '../../../shared/model/start-from'
import { CONTROL, type TrainProgress, type TrainResult } from '../../../shared/training-events'

const NET: NetworkConfig = { inputSize: 784, hiddenSizes: [20], outputSize: 10, activation: 'relu', weightInit: { kind: 'he' } }
const BASE: TrainConfig = { network: NET, iters: 60, batchSize: 20, lr: 0.1, seed: 5, evalEvery: 25, evalSamples: 200, sampling: 'replacement' }

let mnist: Dataset
beforeAll(async () => { mnist = await loadDefaultDataset() })

function connect(): Remote<TrainingApi> {
  const { port1, port2 } = new MessageChannel()
  const local = createTrainingApi()
  local.setDataset(mnist)
  expose(local, nodeEndpoint(port1))
  const api = wrap<TrainingApi>(nodeEndpoint(port2))
  open.push(() => { api[releaseProxy](); port1.close(); port2.close() })
  return api
}
let open: (() => void)[] = []
afterEach(() => { open.forEach((c) => c()); open = [] })

const newControl = () => new Int32Array(new SharedArrayBuffer(CONTROL.LENGTH * 4))
const bytes = (params: NamedParam[]) => Buffer.concat(params.map((p) => Buffer.from(p.data.buffer, p.data.byteOffset, p.data.byteLength)))
const lossBytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)

async function train(api: Remote<TrainingApi>, config: TrainConfig, start?: ReturnType<typeof startFrom>, onProgress: (p: TrainProgress) => void = () => {}, control = newControl()): Promise<TrainResult> {
  return api.train({ config, start }, control, proxy(onProgress))
}

const CASES: [string, Partial<TrainConfig>, Partial<NetworkConfig>][] = [
  ['SGD', {}, {}],
  ['Adam', { optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999 }, lr: 0.001 }, {}],
  ['Momentum with dropout and weight decay', { optimizer: { kind: 'momentum', momentum: 0.9 }, lr: 0.01, dropout: 0.3, weightDecay: 0.01 }, {}],
  ['AdaGrad with batchnorm, epoch sampling', { optimizer: { kind: 'adagrad' }, lr: 0.01, sampling: 'epochs' }, { batchnorm: true }],
  ['Nesterov', { optimizer: { kind: 'nesterov', momentum: 0.8 }, lr: 0.01 }, {}],
  ['RMSprop', { optimizer: { kind: 'rmsprop', decayRate: 0.99 }, lr: 0.001 }, { batchnorm: true }],
]

describe('a run saved and resumed continues bit for bit', () => {
  for (const [what, over, net] of CASES) {
    it(what, async () => {
      const config: TrainConfig = { ...BASE, ...over, network: { ...NET, ...net } }
      const api = connect()
      const whole = await train(api, { ...config, iters: 60 })
      const first = await train(api, { ...config, iters: 35 })
      // through the model file, as "Train further" and `train --resume` do
      const file = parseModel(serializeModel(modelFromRun({ ...config, iters: 35 }, first)), 'first.json')
      const rest = await train(api, { ...config, iters: 25 }, startFrom(file, config))
      const resumed = modelFromRun(config, rest, new Date(), file.history)
      expect(resumed.summary.iterations).toBe(60)
      expect(lossBytes(resumed.history!.losses).equals(lossBytes(whole.losses))).toBe(true)
      expect(bytes(rest.params).equals(bytes(whole.params))).toBe(true)
      expect(rest.rngState).toEqual(whole.rngState)
      expect(rest.optimizerState.step).toBe(whole.optimizerState.step)
      expect(bytes(rest.optimizerState.buffers).equals(bytes(whole.optimizerState.buffers))).toBe(true)
    })
  }

  it('without the optimiser state, an Adam run does not continue the same way (the test can fail)', async () => {
    const config: TrainConfig = { ...BASE, optimizer: { kind: 'adam' }, lr: 0.001 }
    const api = connect()
    const whole = await train(api, { ...config, iters: 40 })
    const first = await train(api, { ...config, iters: 20 })
    const file = parseModel(serializeModel(modelFromRun({ ...config, iters: 20 }, first)), 'first.json')
    const { optimizerState: _dropped, ...start } = startFrom(file, config)
    const rest = await train(api, { ...config, iters: 20 }, start)
    expect(bytes(rest.params).equals(bytes(whole.params))).toBe(false)
  })
})
