import * as ort from 'onnxruntime-web'
import onnxProto from 'onnx-proto'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadDefaultDataset } from '../../../electron/services/dataset-loader'
import type { Dataset } from '../../../shared/data/dataset'
import { fillBatch } from '../../../shared/data/fill-batch'
import { zeros, type Matrix } from '../../../shared/engine/matrix'
import { MultiLayerNet } from '../../../shared/engine/multi-layer-net'
import type { NetworkConfig } from '../../../shared/engine/network-config'
import { Random } from '../../../shared/engine/random'
import { BOOK_TRAINING, type TrainConfig } from '../../../shared/engine/train-config'
import { Trainer } from '../../../shared/engine/trainer'
import { MODEL_FORMAT, MODEL_VERSION, type ModelFile } from '../../../shared/model/model-file'
import { exportOnnx, ONNX_IR_VERSION, ONNX_OPSET } from '../../../shared/model/onnx-export'

const IMAGES = 1000

let mnist: Dataset
let x: Matrix
let t: Int32Array
beforeAll(async () => {
  // the wasm build, one thread: no worker threads or SharedArrayBuffer needed in Node
  ort.env.wasm.numThreads = 1
  mnist = await loadDefaultDataset()
  x = zeros(IMAGES, 784)
  t = new Int32Array(IMAGES)
  fillBatch(mnist.test, null, 0, x, t)
})

/** A model trained for a few hundred iterations, as the app's training would save it. */
function trained(network: NetworkConfig, iters: number, extra: Partial<TrainConfig> = {}): ModelFile {
  const config: TrainConfig = { ...BOOK_TRAINING, network, iters, ...extra }
  const trainer = new Trainer(config, mnist)
  for (let i = 0; i < iters; i++) trainer.step()
  const { network: _, ...training } = config
  return {
    format: MODEL_FORMAT, version: MODEL_VERSION, savedAt: '2025-01-01T00:00:00.000Z', network, training,
    summary: { iterations: iters, loss: 0.5, trainAcc: 0.9, testAcc: 0.9, dataset: { name: mnist.name, fingerprint: mnist.fingerprint } },
    rngState: [], params: trainer.net.exportParams(),
  }
}

/** The engine's evaluation of the model, as a worker does it: a net built from the file's params. */
function engineOutputs(model: ModelFile): { logits: Float64Array; probabilities: Float64Array } {
  const net = new MultiLayerNet(model.network, new Random(0))
  net.importParams(model.params)
  const logits = net.predict(x).data.slice()
  net.lastLayer.forward(net.predict(x), t)
  return { logits, probabilities: net.lastLayer.y!.data.slice() }
}

const argmaxes = (a: Float64Array, k: number) => Array.from({ length: a.length / k }, (_, i) => {
  const row = a.subarray(i * k, i * k + k)
  return row.indexOf(Math.max(...row))
})

const BOOK: NetworkConfig = BOOK_TRAINING.network

describe('exportOnnx in ONNX Runtime (onnxruntime-web, WebAssembly)', () => {
  it.each([
    ['the book\'s 784-50-10 relu', BOOK],
    ['784-100-50-10 sigmoid, Adam', { ...BOOK, hiddenSizes: [100, 50], activation: 'sigmoid' as const, weightInit: { kind: 'xavier' as const } }, { optimizer: { kind: 'adam' as const, beta1: 0.9, beta2: 0.999 }, lr: 0.001 }],
    ['784-50-10 relu with Batch Normalization', { ...BOOK, batchnorm: true, weightInit: { kind: 'he' as const } }],
  ])('%s gives the engine\'s probabilities and logits on 1000 test images, to 1e-9', async (_, network, extra: Partial<TrainConfig> = {}) => {
    const model = trained(network, 300, extra)
    const session = await ort.InferenceSession.create(exportOnnx(model))
    try {
      expect(session.inputNames).toEqual(['x'])
      expect(session.outputNames).toEqual(['probabilities', 'logits'])
      const out = await session.run({ x: new ort.Tensor('float64', x.data, [IMAGES, 784]) })
      const probabilities = out.probabilities.data as Float64Array
      const logits = out.logits.data as Float64Array
      expect(out.probabilities.type).toBe('float64')
      expect(out.probabilities.dims).toEqual([IMAGES, 10])
      const engine = engineOutputs(model)
      let worstP = 0, worstL = 0
      for (let i = 0; i < probabilities.length; i++) {
        worstP = Math.max(worstP, Math.abs(probabilities[i] - engine.probabilities[i]))
        worstL = Math.max(worstL, Math.abs(logits[i] - engine.logits[i]) / Math.max(1, Math.abs(engine.logits[i])))
      }
      expect(worstP).toBeLessThan(1e-9)
      expect(worstL).toBeLessThan(1e-9)
      expect(argmaxes(probabilities, 10)).toEqual(argmaxes(engine.probabilities, 10))
      // a trained model, not a trivial one: most of the 1000 images right
      const correct = argmaxes(probabilities, 10).filter((p, i) => p === t[i]).length
      expect(correct).toBeGreaterThan(800)
    } finally {
      await session.release()
    }
  })

  it('writes opset 17, DOUBLE initializers named as the params, and the book\'s operators only', () => {
    const model = trained({ ...BOOK, batchnorm: true }, 20)
    const m = onnxProto.onnx.ModelProto.decode(exportOnnx(model))
    expect(Number(m.irVersion)).toBe(ONNX_IR_VERSION)
    expect(m.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', ONNX_OPSET]])
    const graph = m.graph!
    expect(graph.node!.map((n) => n.opType)).toEqual(['MatMul', 'Add', 'BatchNormalization', 'Relu', 'MatMul', 'Add', 'Softmax'])
    const inits = new Map(graph.initializer!.map((i) => [i.name, i]))
    for (const p of model.params.filter((q) => !q.name.startsWith('runningVar'))) {
      const init = inits.get(p.name)!
      expect(init.dataType).toBe(onnxProto.onnx.TensorProto.DataType.DOUBLE)
      expect(init.dims!.map(Number)).toEqual(p.shape)
      expect(Buffer.from(init.rawData!).equals(Buffer.from(p.data.buffer, p.data.byteOffset, p.data.byteLength))).toBe(true)
    }
    expect(JSON.parse(m.metadataProps.find((e) => e.key === 'network')!.value!)).toEqual(model.network)
  })
})
