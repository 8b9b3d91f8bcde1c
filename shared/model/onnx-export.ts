import onnxProto from 'onnx-proto'
import { layerSizes } from '../engine/network-config'
import type { ModelFile } from './model-file'

const { onnx } = onnxProto

/** Opset 17 runs on ONNX Runtime 1.13 and later; IR version 8 is the one that goes with it. */
export const ONNX_OPSET = 17
export const ONNX_IR_VERSION = 8
/**
 * shared/engine/batch-normalization.ts's ε (the book's 10e-7). The ONNX node gets running
 * variance + ε and epsilon 0: its epsilon attribute is a float32, which cannot hold 1e-6
 * exactly, while the sum is the same float64 the engine takes the square root of.
 */
export const BATCHNORM_EPS = 10e-7

const DOUBLE = onnx.TensorProto.DataType.DOUBLE

/**
 * The model's evaluation forward pass as an ONNX graph in float64 (DOUBLE), so that a runtime
 * gives the engine's numbers: input `x` (N, inputSize), the pixels scaled to [0, 1] as the book's
 * load_mnist(normalize=True) does; per hidden layer MatMul, Add, BatchNormalization (with the
 * running statistics) when the network has it, then Relu or Sigmoid; the last MatMul and Add
 * give output `logits`, and Softmax gives output `probabilities` (N, outputSize). Dropout is
 * inverted in the engine, so evaluation has nothing of it. Weights are initializers named as
 * the model's params (W1, b1, …).
 */
export function exportOnnx(model: ModelFile): Uint8Array {
  const { network } = model
  const params = new Map(model.params.map((p) => [p.name, p]))
  const initializer = model.params
    .filter((p) => !p.name.startsWith('runningVar'))
    .map((p) => tensor(p.name, p.shape, p.data))
  const node: InstanceType<typeof onnx.NodeProto>[] = []
  const sizes = layerSizes(network)
  const layers = sizes.length - 1
  let h = 'x'
  for (let k = 1; k <= layers; k++) {
    const last = k === layers
    node.push(onnx.NodeProto.create({ name: `Affine${k}.MatMul`, opType: 'MatMul', input: [h, `W${k}`], output: [`xW${k}`] }))
    const affine = last ? 'logits' : `affine${k}`
    node.push(onnx.NodeProto.create({ name: `Affine${k}.Add`, opType: 'Add', input: [`xW${k}`, `b${k}`], output: [affine] }))
    if (last) break
    h = affine
    if (network.batchnorm) {
      const runningVar = params.get(`runningVar${k}`)
      if (!runningVar) throw new RangeError(`exportOnnx: runningVar${k} is missing from the model`)
      initializer.push(tensor(`runningVarPlusEps${k}`, runningVar.shape, runningVar.data.map((v) => v + BATCHNORM_EPS)))
      node.push(onnx.NodeProto.create({
        name: `BatchNorm${k}`,
        opType: 'BatchNormalization',
        input: [h, `gamma${k}`, `beta${k}`, `runningMean${k}`, `runningVarPlusEps${k}`],
        output: [`batchnorm${k}`],
        attribute: [onnx.AttributeProto.create({ name: 'epsilon', type: onnx.AttributeProto.AttributeType.FLOAT, f: 0 })],
      }))
      h = `batchnorm${k}`
    }
    const op = network.activation === 'relu' ? 'Relu' : 'Sigmoid'
    node.push(onnx.NodeProto.create({ name: `${op}${k}`, opType: op, input: [h], output: [`hidden${k}`] }))
    h = `hidden${k}`
  }
  node.push(onnx.NodeProto.create({
    name: 'Softmax',
    opType: 'Softmax',
    input: ['logits'],
    output: ['probabilities'],
    attribute: [onnx.AttributeProto.create({ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 })],
  }))
  const out = network.outputSize
  const graph = onnx.GraphProto.create({
    name: `backprop-studio ${sizes.join('-')} ${network.activation}${network.batchnorm ? ' batchnorm' : ''}`,
    node,
    initializer,
    input: [valueInfo('x', network.inputSize, 'images, each row pixel/255 in [0, 1]')],
    output: [valueInfo('probabilities', out, 'softmax of the logits'), valueInfo('logits', out, 'scores before softmax')],
  })
  const s = model.summary
  const m = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [onnx.OperatorSetIdProto.create({ domain: '', version: ONNX_OPSET })],
    producerName: 'Backprop Studio',
    docString: `A ${sizes.join('-')} ${network.activation} network trained by backpropagation for ${s.iterations} iterations on ${s.dataset.name} (test accuracy ${s.testAcc}).`,
    graph,
    metadataProps: [
      onnx.StringStringEntryProto.create({ key: 'network', value: JSON.stringify(network) }),
      onnx.StringStringEntryProto.create({ key: 'summary', value: JSON.stringify(s) }),
      onnx.StringStringEntryProto.create({ key: 'savedAt', value: model.savedAt }),
    ],
  })
  return onnx.ModelProto.encode(m).finish()
}

/** A float64 initializer: raw_data is little-endian whatever the machine. */
function tensor(name: string, shape: readonly number[], data: Float64Array) {
  const raw = new Uint8Array(data.length * 8)
  const view = new DataView(raw.buffer)
  for (let i = 0; i < data.length; i++) view.setFloat64(i * 8, data[i], true)
  return onnx.TensorProto.create({ name, dims: [...shape], dataType: DOUBLE, rawData: raw })
}

/** A DOUBLE tensor of shape (N, width), N left symbolic so any batch size runs. */
function valueInfo(name: string, width: number, doc: string) {
  return onnx.ValueInfoProto.create({
    name,
    docString: doc,
    type: { tensorType: { elemType: DOUBLE, shape: { dim: [{ dimParam: 'N' }, { dimValue: width }] } } },
  })
}
