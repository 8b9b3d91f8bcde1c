import { Buffer } from 'node:buffer'
import { describe, expect, it } from 'vitest'
import { paramShapes, type NetworkConfig } from '../../../shared/engine/network-config'
import { encodeBase64 } from '../../../shared/model/base64'
import {
  checkModelSize,
  MODEL_FORMAT,
  MODEL_MAX_BYTES,
  MODEL_VERSION,
  parseModel,
  serializeModel,
  type ModelFile,
} from '../../../shared/model/model-file'

const TINY: NetworkConfig = { inputSize: 4, hiddenSizes: [3], outputSize: 2, activation: 'relu', weightInit: { kind: 'std', std: 0.01 } }

function validModel(network: NetworkConfig = TINY): ModelFile {
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    savedAt: '2025-01-02T03:04:05.678Z',
    network,
    training: { iters: 100, batchSize: 10, lr: 0.1, seed: 1, evalEvery: 10, evalSamples: 0, sampling: 'replacement' },
    summary: { iterations: 100, loss: 0.25, trainAcc: 0.9, testAcc: 0.875, dataset: { name: 'mnist', fingerprint: 'abc123' } },
    rngState: [1, 0xffffffff, 0, 42],
    params: paramShapes(network).map(({ name, shape }) => ({
      name,
      shape,
      data: Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => (i + 1) / 7 - 0.5),
    })),
  }
}

/** As a Buffer, so equality is a byte compare (a deep toEqual over 313,600 bytes is slow). */
function bytesOf(data: Float64Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength)
}

function base64Of(values: number[]): string {
  const bytes = new Uint8Array(values.length * 8)
  const view = new DataView(bytes.buffer)
  values.forEach((v, i) => view.setFloat64(i * 8, v, true))
  return encodeBase64(bytes)
}

type Json = Record<string, unknown> & { params: Record<string, unknown>[] }

/** The valid file as a plain object, edited, then back to text. */
function edited(edit: (obj: Json) => void): string {
  const obj = JSON.parse(serializeModel(validModel())) as Json
  edit(obj)
  return JSON.stringify(obj)
}

function expectRejected(text: string, message: string): void {
  expect(() => parseModel(text, 'model.json')).toThrow(expect.objectContaining({ name: 'ModelFileError', message }))
}

describe('serializeModel / parseModel', () => {
  it('round-trips bit for bit, including -0, subnormals and extremes', () => {
    const special = [-0, 0, 5e-324, -5e-324, 2.2250738585072014e-308, 2.225073858507201e-308, 1 / 3, -2 / 3, 1e300, -1e300, Number.MAX_VALUE, 0.1]
    const network: NetworkConfig = { ...TINY, inputSize: 784, hiddenSizes: [50], outputSize: special.length }
    const model = validModel(network)
    const w1 = model.params[0].data
    const bits = new Uint32Array(w1.buffer)
    // Random bit patterns cover every exponent; redraw the non-finite ones (exponent all ones).
    for (let i = 0; i < w1.length; i++) {
      do {
        bits[2 * i] = (Math.random() * 2 ** 32) >>> 0
        bits[2 * i + 1] = (Math.random() * 2 ** 32) >>> 0
      } while (!Number.isFinite(w1[i]))
    }
    model.params[3].data.set(special)

    const back = parseModel(serializeModel(model), 'model.json')
    expect(back.params.map((p) => p.name)).toEqual(['W1', 'b1', 'W2', 'b2'])
    back.params.forEach((p, i) => {
      expect(p.shape).toEqual(model.params[i].shape)
      expect(bytesOf(p.data).equals(bytesOf(model.params[i].data))).toBe(true)
    })
    expect(Object.is(back.params[3].data[0], -0)).toBe(true)
    expect(back.params[3].data[2]).toBe(5e-324)
    const { params: _p, ...meta } = back
    const { params: _q, ...expected } = model
    expect(meta).toEqual(expected)
  })

  it('writes readable metadata and one line per param', () => {
    const text = serializeModel(validModel())
    const lines = text.split('\n')
    expect(lines[0]).toBe('{')
    expect(lines[1]).toBe(`  "format": "${MODEL_FORMAT}",`)
    expect(text).toContain('    "hiddenSizes": [3],')
    expect(text).toContain('  "rngState": [1, 4294967295, 0, 42],')
    const paramLines = lines.filter((l) => l.includes('"encoding"'))
    expect(paramLines).toHaveLength(4)
    expect(paramLines[0]).toMatch(/^ {4}\{ "name": "W1", "shape": \[4, 3\], "dtype": "float64", "encoding": "base64-le", "data": "[A-Za-z0-9+/=]+" \},$/)
    expect(JSON.parse(text)).toBeTypeOf('object')
  })

  it('returns a fresh object with only known fields', () => {
    const model = parseModel(serializeModel(validModel()), 'model.json')
    expect(Object.keys(model)).toEqual(['format', 'version', 'savedAt', 'network', 'training', 'summary', 'rngState', 'params'])
    expect(Object.keys(model.params[0])).toEqual(['name', 'shape', 'data'])
    expect(Object.getPrototypeOf(model.network)).toBe(Object.prototype)
  })

  it('drops stray runtime fields when serializing', () => {
    const model = validModel()
    const training = { ...model.training, network: TINY }
    const text = serializeModel({ ...model, training, extra: 1 } as ModelFile)
    expect(parseModel(text, 'model.json').training).toEqual(model.training)
  })

  it('refuses to serialize non-finite values or wrong shapes', () => {
    const nan = validModel()
    nan.params[1].data[2] = NaN
    expect(() => serializeModel(nan, 'best.json')).toThrow(
      expect.objectContaining({ name: 'ModelFileError', message: 'best.json: params.b1.data[2]: value is NaN, expected a finite number' }),
    )
    const inf = validModel()
    inf.summary.loss = Infinity
    expect(() => serializeModel(inf)).toThrow(expect.objectContaining({ name: 'ModelFileError', message: 'model: summary.loss: expected a finite number, got Infinity' }))
    const short = validModel()
    short.params[0].data = new Float64Array(11)
    expect(() => serializeModel(short)).toThrow(expect.objectContaining({ message: 'model: params.W1.data: expected 96 bytes (12 float64), got 88' }))
  })
})

describe('parseModel rejects', () => {
  it('a shape mismatch', () => {
    expectRejected(edited((o) => (o.params[0].shape = [4, 2])), 'model.json: params.W1.shape: expected [4, 3], got [4, 2]')
    expectRejected(edited((o) => (o.params[1].shape = ['3'])), 'model.json: params.b1.shape: expected [3], got ["3"]')
  })

  it('a missing, extra, duplicate or misplaced param', () => {
    expectRejected(edited((o) => o.params.splice(1, 1)), 'model.json: params: missing param b1 (expected W1, b1, W2, b2 in that order, got W1, W2, b2)')
    expectRejected(edited((o) => o.params.push({ ...o.params[0], name: 'W3' })), 'model.json: params[4].name: unexpected param "W3" (expected W1, b1, W2, b2 in that order)')
    expectRejected(edited((o) => o.params.push({ ...o.params[0] })), 'model.json: params[4].name: duplicate param "W1"')
    expectRejected(edited((o) => o.params.reverse()), 'model.json: params[0].name: expected "W1", got "b2" (expected W1, b1, W2, b2 in that order)')
  })

  it('non-finite values, naming the param and element', () => {
    expectRejected(
      edited((o) => (o.params[1].data = base64Of([0.5, NaN, 1]))),
      'model.json: params.b1.data[1]: value is NaN, expected a finite number',
    )
    expectRejected(
      edited((o) => (o.params[3].data = base64Of([1, -Infinity]))),
      'model.json: params.b2.data[1]: value is -Infinity, expected a finite number',
    )
    expectRejected(
      edited((o) => (o.params[3].data = base64Of([Infinity, 1]))),
      'model.json: params.b2.data[0]: value is Infinity, expected a finite number',
    )
  })

  it('bad param data', () => {
    expectRejected(edited((o) => (o.params[1].data = base64Of([1, 2]))), 'model.json: params.b1.data: expected 24 bytes (3 float64), got 16')
    expectRejected(edited((o) => (o.params[1].data = 'AAAA*AAA')), 'model.json: params.b1.data: invalid base64 character "*" at offset 4')
    expectRejected(edited((o) => (o.params[1].data = [1, 2, 3])), 'model.json: params.b1.data: expected a string, got an array')
    expectRejected(edited((o) => (o.params[1].dtype = 'float32')), 'model.json: params.b1.dtype: expected "float64", got "float32"')
    expectRejected(edited((o) => (o.params[1].encoding = 'base64')), 'model.json: params.b1.encoding: expected "base64-le", got "base64"')
  })

  it('text over the size cap, before parsing', () => {
    expectRejected(' '.repeat(MODEL_MAX_BYTES + 1), `model.json: file is too large: ${MODEL_MAX_BYTES + 1} bytes (the limit is ${MODEL_MAX_BYTES})`)
    expect(() => checkModelSize(MODEL_MAX_BYTES, 'a.json')).not.toThrow()
    expect(() => checkModelSize(MODEL_MAX_BYTES + 1, 'a.json')).toThrow(expect.objectContaining({ name: 'ModelFileError' }))
  })

  it('an unknown format', () => {
    expectRejected(edited((o) => (o.format = 'keras')), 'model.json: format: expected "backprop-studio-model", got "keras": not a Backprop Studio model file')
    expectRejected('{"weights": []}', 'model.json: format: expected "backprop-studio-model", got no format field: not a Backprop Studio model file')
    expectRejected('[1, 2]', 'model.json: expected an object, got an array')
  })

  it('an unknown version', () => {
    expectRejected(edited((o) => (o.version = 2)), 'model.json: version: unsupported version 2 (this app reads version 1)')
    expectRejected(edited((o) => (o.version = '1')), 'model.json: version: expected an integer, got "1"')
  })

  it('__proto__, constructor and prototype keys anywhere', () => {
    const text = serializeModel(validModel())
    expectRejected(text.replace('"dataset": {', '"dataset": { "__proto__": { "polluted": true },'), 'model.json: summary.dataset.__proto__: forbidden key "__proto__"')
    expectRejected(text.replace('"rngState": [', '"rngState": [{ "a": { "__proto__": 1 } }, '), 'model.json: rngState[0].a.__proto__: forbidden key "__proto__"')
    expectRejected(text.replace('{\n', '{\n  "constructor": { "prototype": {} },\n'), 'model.json: constructor: forbidden key "constructor"')
    expectRejected(text.replace('"dtype"', '"prototype": 1, "dtype"'), 'model.json: params[0].prototype: forbidden key "prototype"')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('bad JSON, with its position', () => {
    expectRejected('{\n  "format": }', `model.json: not valid JSON at line 2, column 13: Unexpected token '}', "{\n  "format": }" is not valid JSON`)
    expectRejected('{\n  "a": 1,\n  "b": [1, 2,]\n}', expect.stringMatching(/^model\.json: not valid JSON at line 3, column 14: /) as unknown as string)
    expectRejected('{"a": 1', 'model.json: not valid JSON at line 1, column 8: Expected \',\' or \'}\' after property value in JSON at position 7')
    expectRejected('', 'model.json: not valid JSON at line 1, column 1: Unexpected end of JSON input')
  })

  it('a bad activation or weight init', () => {
    expectRejected(edited((o) => ((o.network as Json).activation = 'tanh')), 'model.json: network.activation: expected "relu" or "sigmoid", got "tanh"')
    expectRejected(
      edited((o) => ((o.network as Json).weightInit = { kind: 'he', std: 1 })),
      'model.json: network.weightInit.std: unknown field',
    )
    expectRejected(edited((o) => ((o.network as Json).weightInit = { kind: 'std', std: 0 })), 'model.json: network.weightInit.std: expected a number > 0, got 0')
    expectRejected(edited((o) => ((o.network as Json).weightInit = { kind: 'std' })), 'model.json: network.weightInit.std: missing')
  })

  it('fields of the wrong type or range', () => {
    const cases: [(o: Json) => void, string][] = [
      [(o) => ((o.network as Json).inputSize = '4'), 'network.inputSize: expected an integer, got "4"'],
      [(o) => ((o.network as Json).inputSize = 0), 'network.inputSize: expected an integer ≥ 1, got 0'],
      [(o) => ((o.network as Json).hiddenSizes = 3), 'network.hiddenSizes: expected an array, got 3'],
      [(o) => ((o.network as Json).hiddenSizes = [3.5]), 'network.hiddenSizes[0]: expected an integer, got 3.5'],
      [(o) => ((o.training as Json).lr = '0.1'), 'training.lr: expected a finite number, got "0.1"'],
      [(o) => ((o.training as Json).lr = -1), 'training.lr: expected a number > 0, got -1'],
      [(o) => ((o.training as Json).batchSize = 2 ** 53), 'training.batchSize: expected an integer, got 9007199254740992'],
      [(o) => ((o.training as Json).sampling = 'random'), 'training.sampling: expected "replacement" or "epochs", got "random"'],
      [(o) => ((o.training as Json).evalSamples = -1), 'training.evalSamples: expected an integer ≥ 0, got -1'],
      [(o) => ((o.summary as Json).testAcc = 1.5), 'summary.testAcc: expected an accuracy in [0, 1], got 1.5'],
      [(o) => ((o.summary as Json).loss = null), 'summary.loss: expected a finite number, got null'],
      [(o) => ((o.summary as Json).dataset = { name: 'mnist', fingerprint: 7 }), 'summary.dataset.fingerprint: expected a string, got 7'],
      [(o) => (o.rngState = [2 ** 32]), 'rngState[0]: expected a uint32, got 4294967296'],
      [(o) => (o.rngState = [-1]), 'rngState[0]: expected an integer ≥ 0, got -1'],
      [(o) => (o.savedAt = 'yesterday'), 'savedAt: expected an ISO 8601 date-time, got "yesterday"'],
      [(o) => (o.extra = true), 'extra: unknown field'],
      [(o) => delete o.summary, 'summary: missing'],
      [(o) => ((o.training as Json).momentum = 0.9), 'training.momentum: unknown field'],
    ]
    for (const [edit, message] of cases) expectRejected(edited(edit), `model.json: ${message}`)
  })

  it('numbers that overflow to Infinity', () => {
    expectRejected(serializeModel(validModel()).replace('"loss": 0.25', '"loss": 1e400'), 'model.json: summary.loss: expected a finite number, got Infinity')
  })
})
