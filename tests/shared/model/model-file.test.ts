import { Buffer } from 'node:buffer'
import { describe, expect, it } from 'vitest'
import { paramShapes, type NetworkConfig } from '../../../shared/engine/network-config'
import { encodeBase64 } from '../../../shared/model/base64'
import {
  checkModelSize,
  MODEL_FORMAT,
  MODEL_MAX_BYTES,
  MODEL_MAX_NODES,
  MODEL_VERSION,
  parseModel,
  serializeModel,
  type ModelFile,
} from '../../../shared/model/model-file'
import { LIMITS } from '../../../shared/schemas/limits'

const TINY: NetworkConfig = { inputSize: 4, hiddenSizes: [3], outputSize: 2, activation: 'relu', weightInit: { kind: 'std', std: 0.01 }, batchnorm: false }

function validModel(network: NetworkConfig = TINY): ModelFile {
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    savedAt: '2025-01-02T03:04:05.678Z',
    network,
    training: { iters: 100, batchSize: 10, lr: 0.1, seed: 1, evalEvery: 10, evalSamples: 0, sampling: 'replacement', optimizer: { kind: 'sgd' }, weightDecay: 0, dropout: 0 },
    summary: { iterations: 100, loss: 0.25, trainAcc: 0.9, testAcc: 0.875, dataset: { name: 'mnist', fingerprint: 'abc123' } },
    rngState: [1, 0xffffffff, 0, 42],
    params: paramShapes(network).map(({ name, shape }) => ({
      name,
      shape,
      data: Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => (i + 1) / 7 - 0.5),
    })),
    optimizer: { step: 100, buffers: [] },
    sampler: { shuffleState: [], pos: 0 },
    history: { lossStart: 0, losses: Float64Array.from({ length: 100 }, (_, i) => 2.3 / (i + 1)), evals: [{ iter: 0, epoch: 0.1, loss: 2.3, trainAcc: 0.1, testAcc: 0.125 }, { iter: 99, epoch: 10, loss: 0.25, trainAcc: 0.9, testAcc: 0.875 }] },
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
    const { params: _p, history: h, ...meta } = back
    const { params: _q, history: g, ...expected } = model
    expect(meta).toEqual(expected)
    expect(bytesOf(h!.losses).equals(bytesOf(g!.losses))).toBe(true)
    expect(h!.evals).toEqual(g!.evals)
  })

  it('writes readable metadata and one line per param', () => {
    const text = serializeModel(validModel())
    const lines = text.split('\n')
    expect(lines[0]).toBe('{')
    expect(lines[1]).toBe(`  "format": "${MODEL_FORMAT}",`)
    expect(text).toContain('    "hiddenSizes": [3],')
    expect(text).toContain('  "rngState": [1, 4294967295, 0, 42],')
    const paramLines = lines.filter((l) => l.includes('"encoding"'))
    expect(paramLines.filter((l) => l.includes('"shape"'))).toHaveLength(4)
    expect(paramLines[0]).toMatch(/^ {4}\{ "name": "W1", "shape": \[4, 3\], "dtype": "float64", "encoding": "base64-le", "data": "[A-Za-z0-9+/=]+" \},$/)
    expect(JSON.parse(text)).toBeTypeOf('object')
  })

  it('returns a fresh object with only known fields', () => {
    const model = parseModel(serializeModel(validModel()), 'model.json')
    expect(Object.keys(model).sort()).toEqual(['format', 'version', 'savedAt', 'network', 'training', 'summary', 'rngState', 'params', 'optimizer', 'sampler', 'history'].sort())
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
      expect.objectContaining({ name: 'ModelFileError', message: 'best.json: params.b1.data[2]: value is NaN; must be a finite number' }),
    )
    const inf = validModel()
    inf.summary.loss = Infinity
    expect(() => serializeModel(inf)).toThrow(expect.objectContaining({ name: 'ModelFileError', message: 'model: summary.loss: must be a finite number, got Infinity' }))
    const short = validModel()
    short.params[0].data = new Float64Array(11)
    expect(() => serializeModel(short)).toThrow(expect.objectContaining({ message: 'model: params.W1.data: must be 96 bytes (12 float64), got 88' }))
  })
})

describe('parseModel rejects', () => {
  it('a shape mismatch', () => {
    expectRejected(edited((o) => (o.params[0].shape = [4, 2])), 'model.json: params.W1.shape: must be [4, 3], got [4, 2]')
    expectRejected(edited((o) => (o.params[1].shape = ['3'])), 'model.json: params[1].shape[0]: must be a list of whole numbers, got a string')
  })

  it('a missing, extra, duplicate or misplaced param', () => {
    expectRejected(edited((o) => o.params.splice(1, 1)), 'model.json: params: missing param b1 (expected W1, b1, W2, b2 in that order, got W1, W2, b2)')
    expectRejected(edited((o) => o.params.push({ ...o.params[0], name: 'W3' })), 'model.json: params[4].name: unexpected param "W3" (expected W1, b1, W2, b2 in that order)')
    expectRejected(edited((o) => o.params.push({ ...o.params[0] })), 'model.json: params[4].name: duplicate param "W1"')
    expectRejected(edited((o) => o.params.reverse()), 'model.json: params[0].name: must be "W1", got "b2" (expected W1, b1, W2, b2 in that order)')
  })

  it('non-finite values, naming the param and element', () => {
    expectRejected(
      edited((o) => (o.params[1].data = base64Of([0.5, NaN, 1]))),
      'model.json: params.b1.data[1]: value is NaN; must be a finite number',
    )
    expectRejected(
      edited((o) => (o.params[3].data = base64Of([1, -Infinity]))),
      'model.json: params.b2.data[1]: value is -Infinity; must be a finite number',
    )
    expectRejected(
      edited((o) => (o.params[3].data = base64Of([Infinity, 1]))),
      'model.json: params.b2.data[0]: value is Infinity; must be a finite number',
    )
  })

  it('bad param data', () => {
    expectRejected(edited((o) => (o.params[1].data = base64Of([1, 2]))), 'model.json: params.b1.data: must be 24 bytes (3 float64), got 16')
    expectRejected(edited((o) => (o.params[1].data = 'AAAA*AAA')), 'model.json: params[1].data: invalid base64 character "*" at offset 4')
    expectRejected(edited((o) => (o.params[1].data = [1, 2, 3])), 'model.json: params[1].data: must be a base64 string, got a list')
    expectRejected(edited((o) => (o.params[1].dtype = 'float32')), 'model.json: params[1].dtype: must be "float64", got a string')
    expectRejected(edited((o) => (o.params[1].encoding = 'base64')), 'model.json: params[1].encoding: must be "base64-le", got a string')
  })

  it('text over the size cap, before parsing', () => {
    expectRejected(' '.repeat(MODEL_MAX_BYTES + 1), `model.json: file is too large: ${MODEL_MAX_BYTES + 1} bytes (the limit is ${MODEL_MAX_BYTES})`)
    expect(() => checkModelSize(MODEL_MAX_BYTES, 'a.json')).not.toThrow()
    expect(() => checkModelSize(MODEL_MAX_BYTES + 1, 'a.json')).toThrow(expect.objectContaining({ name: 'ModelFileError' }))
  })

  it('an unknown format', () => {
    expectRejected(edited((o) => (o.format = 'keras')), 'model.json: format: must be "backprop-studio-model": not a Backprop Studio model file')
    expectRejected('{"weights": []}', 'model.json: format: must be "backprop-studio-model", got none: not a Backprop Studio model file')
    expectRejected('[1, 2]', 'model.json: must be a JSON object')
  })

  it('an unknown version', () => {
    expectRejected(edited((o) => (o.version = 3)), 'model.json: version: unsupported: version 3 (this app reads versions 1 and 2)')
    expectRejected(edited((o) => (o.version = '1')), 'model.json: version: unsupported: no version number (this app reads versions 1 and 2)')
  })

  it('__proto__, constructor and prototype keys anywhere', () => {
    const text = serializeModel(validModel())
    expectRejected(text.replace('"dataset": {', '"dataset": { "__proto__": { "polluted": true },'), 'model.json: summary.dataset: unknown field "__proto__"')
    expectRejected(text.replace('"rngState": [', '"rngState": [{ "a": { "__proto__": 1 } }, '), 'model.json: rngState[0]: must be a uint32, got an object')
    expectRejected(text.replace('{\n', '{\n  "constructor": { "prototype": {} },\n'), 'model.json: unknown field "constructor"')
    expectRejected(text.replace('"dtype"', '"prototype": 1, "dtype"'), 'model.json: params[0]: unknown field "prototype"')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('bad JSON, with its position where the engine gives one, never quoting the file', () => {
    expectRejected('{\n  "format": }', 'model.json: not valid JSON: unexpected "}"')
    expectRejected('{"a": 1', 'model.json: not valid JSON at line 1, column 8')
    expectRejected('{\n  "a": 1,\n  "b": [1, 2,]\n}', expect.stringMatching(/^model\.json: not valid JSON/) as unknown as string)
    expectRejected('', 'model.json: not valid JSON at line 1, column 1')
  })

  it('never echoes file content: not JSON, or JSON with secrets in its strings', () => {
    const passwd = 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n'
    expect(() => parseModel(passwd, 'passwd')).toThrow(expect.objectContaining({ message: 'passwd: not valid JSON: unexpected "r"' }))
    const secret = edited((o) => ((o.network as Json).activation = 'hunter2-secret'))
    let message = ''
    try { parseModel(secret, 'model.json') } catch (e) { message = (e as Error).message }
    expect(message).toBe('model.json: network.activation: must be "relu" or "sigmoid", got a string')
    expect(message).not.toContain('hunter2')
  })

  it('a file of many nested arrays, before JSON.parse builds them', () => {
    const bomb = `[${'[],'.repeat(2_000_000)}[]]`
    expectRejected(bomb, `model.json: not a model file: ${2_000_001 + 1} JSON objects and arrays (a model file has at most ${MODEL_MAX_NODES})`)
  })

  it('a network or training config outside the limits a new run has', () => {
    const atLimits = validModel({ inputSize: 4, hiddenSizes: Array(LIMITS.hiddenLayers).fill(2), outputSize: LIMITS.outputSize, activation: 'sigmoid', weightInit: { kind: 'std', std: LIMITS.std } })
    atLimits.training = { ...atLimits.training, lr: LIMITS.lr, batchSize: LIMITS.batchSize, iters: LIMITS.iters, seed: LIMITS.seed }
    expect(parseModel(serializeModel(atLimits), 'm.json').network.hiddenSizes).toHaveLength(LIMITS.hiddenLayers)
    const past: [(m: ModelFile) => void, string][] = [
      [(m) => { m.network = { ...m.network, hiddenSizes: Array(LIMITS.hiddenLayers + 1).fill(2) } }, `network.hiddenSizes: must be a list of 0 to ${LIMITS.hiddenLayers} layer sizes`],
      [(m) => { m.network = { ...m.network, outputSize: LIMITS.outputSize + 1 } }, `network.outputSize: must be a whole number from 2 to ${LIMITS.outputSize}, got ${LIMITS.outputSize + 1}`],
      [(m) => { m.network = { ...m.network, weightInit: { kind: 'std', std: 11 } } }, 'network.weightInit.std: must be a number > 0 and ≤ 10, got 11'],
      [(m) => { m.training = { ...m.training, lr: LIMITS.lr * 2 } }, `training.lr: must be a number > 0 and ≤ ${LIMITS.lr}, got ${LIMITS.lr * 2}`],
      [(m) => { m.training = { ...m.training, batchSize: LIMITS.batchSize + 1 } }, `training.batchSize: must be a whole number from 1 to ${LIMITS.batchSize}, got ${LIMITS.batchSize + 1}`],
    ]
    for (const [edit, message] of past) {
      const m = validModel()
      edit(m)
      if (m.network !== validModel().network) m.params = validModel(m.network).params
      expect(() => serializeModel(m, 'm.json')).toThrow(expect.objectContaining({ name: 'ModelFileError', message: expect.stringContaining(`m.json: ${message}`) }))
    }
  })

  it('a bad activation or weight init', () => {
    expectRejected(edited((o) => ((o.network as Json).activation = 'tanh')), 'model.json: network.activation: must be "relu" or "sigmoid", got a string')
    expectRejected(
      edited((o) => ((o.network as Json).weightInit = { kind: 'he', std: 1 })),
      'model.json: network.weightInit: unknown field "std"',
    )
    expectRejected(edited((o) => ((o.network as Json).weightInit = { kind: 'std', std: 0 })), 'model.json: network.weightInit.std: must be a number > 0 and ≤ 10, got 0')
    expectRejected(edited((o) => ((o.network as Json).weightInit = { kind: 'std' })), 'model.json: network.weightInit.std: must be a number > 0 and ≤ 10, got nothing')
  })

  it('fields of the wrong type or range', () => {
    const cases: [(o: Json) => void, string][] = [
      [(o) => ((o.network as Json).inputSize = '4'), 'network.inputSize: must be a whole number from 1 to 1048576, got a string'],
      [(o) => ((o.network as Json).inputSize = 0), 'network.inputSize: must be a whole number from 1 to 1048576, got 0'],
      [(o) => ((o.network as Json).hiddenSizes = 3), 'network.hiddenSizes: must be a list of layer sizes, got 3'],
      [(o) => ((o.network as Json).hiddenSizes = [3.5]), 'network.hiddenSizes[0]: must be a whole number from 1 to 4096, got 3.5'],
      [(o) => ((o.training as Json).lr = '0.1'), 'training.lr: must be a number > 0 and ≤ 100, got a string'],
      [(o) => ((o.training as Json).lr = -1), 'training.lr: must be a number > 0 and ≤ 100, got -1'],
      [(o) => ((o.training as Json).batchSize = 2 ** 53), 'training.batchSize: must be a whole number from 1 to 60000, got 9007199254740992'],
      [(o) => ((o.training as Json).sampling = 'random'), 'training.sampling: must be "replacement" or "epochs", got a string'],
      [(o) => ((o.training as Json).evalSamples = -1), 'training.evalSamples: must be a whole number from 0 to 100000000, got -1'],
      [(o) => ((o.summary as Json).testAcc = 1.5), 'summary.testAcc: must be an accuracy in [0, 1], got 1.5'],
      [(o) => ((o.summary as Json).loss = null), 'summary.loss: must be a finite number, got null'],
      [(o) => ((o.summary as Json).dataset = { name: 'mnist', fingerprint: 7 }), 'summary.dataset.fingerprint: must be a string, got 7'],
      [(o) => (o.rngState = [2 ** 32, 1, 1, 1]), 'rngState[0]: must be a uint32, got 4294967296'],
      [(o) => (o.rngState = [-1, 1, 1, 1]), 'rngState[0]: must be a uint32, got -1'],
      [(o) => (o.rngState = [1, 2, 3]), 'rngState: must be four uint32 words (or none)'],
      [(o) => (o.rngState = [0, 0, 0, 0]), 'rngState: must not be all zeros (xoshiro128** never leaves that state)'],
      [(o) => (o.savedAt = 'yesterday'), 'savedAt: must be an ISO 8601 date-time, got a string'],
      [(o) => (o.extra = true), 'unknown field "extra"'],
      [(o) => delete o.summary, 'summary: expected object, got nothing'],
      [(o) => ((o.training as Json).momentum = 0.9), 'training: unknown field "momentum"'],
    ]
    for (const [edit, message] of cases) expectRejected(edited(edit), `model.json: ${message}`)
  })

  it('numbers that overflow to Infinity', () => {
    expectRejected(serializeModel(validModel()).replace('"loss": 0.25', '"loss": 1e400'), 'model.json: summary.loss: must be a finite number, got Infinity')
  })
})

describe('version 2 and version 1', () => {
  it('round-trips the optimiser state, the sampler and the history', () => {
    const model = validModel()
    model.training = { ...model.training, optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999 } }
    model.optimizer = {
      step: 7,
      buffers: model.params.flatMap((p) => ['m', 'v'].map((slot) => ({ name: `${slot}.${p.name}`, shape: [p.data.length], data: p.data.map((v) => v * (slot === 'm' ? 0.5 : 0.25)) }))),
    }
    model.sampler = { shuffleState: [5, 6, 7, 8], pos: 40 }
    const back = parseModel(serializeModel(model), 'model.json')
    expect(back.version).toBe(2)
    expect(back.optimizer!.step).toBe(7)
    expect(back.optimizer!.buffers.map((b) => b.name)).toEqual(model.optimizer.buffers.map((b) => b.name))
    back.optimizer!.buffers.forEach((b, i) => expect(bytesOf(b.data).equals(bytesOf(model.optimizer!.buffers[i].data))).toBe(true))
    expect(back.sampler).toEqual({ shuffleState: [5, 6, 7, 8], pos: 40 })
    expect(back.training.optimizer).toEqual({ kind: 'adam', beta1: 0.9, beta2: 0.999 })
  })

  it('opens a version 1 file as version 2: the book\'s SGD, a fresh optimiser, a history from where it stands', () => {
    const obj = JSON.parse(serializeModel(validModel())) as Record<string, unknown>
    delete obj.optimizer
    delete obj.sampler
    delete obj.history
    obj.version = 1
    const training = obj.training as Record<string, unknown>
    for (const k of ['optimizer', 'weightDecay', 'dropout']) delete training[k]
    delete (obj.network as Record<string, unknown>).batchnorm
    const m = parseModel(JSON.stringify(obj), 'old.json')
    expect(m.version).toBe(2)
    expect(m.training).toMatchObject({ optimizer: { kind: 'sgd' }, weightDecay: 0, dropout: 0 })
    expect(m.network.batchnorm).toBe(false)
    expect(m.optimizer).toEqual({ step: 0, buffers: [] })
    expect(m.history).toEqual({ lossStart: 100, losses: new Float64Array(0), evals: [] })
    // a version 1 file with version 2's fields is not one
    expectRejected(JSON.stringify({ ...obj, sampler: { shuffleState: [], pos: 0 } }), 'model.json: unknown field "sampler"')
  })

  it('refuses an inconsistent, truncated or oversized version 2 file, naming the field', () => {
    expectRejected(edited((o) => { (o.history as Json).lossStart = 3 }), 'model.json: history.losses: must hold one loss per iteration from 3 to 100: 97 values, got 100')
    expectRejected(edited((o) => { ((o.history as Json).losses as Json).data = base64Of([1, 2]) }), 'model.json: history.losses: must hold one loss per iteration from 0 to 100: 100 values, got 2')
    expectRejected(edited((o) => { (((o.history as Json).losses as Json).data as unknown) = 'AAAA' }), 'model.json: history.losses.data: must be a whole number of float64 values (8 bytes each), got 3 bytes')
    expectRejected(edited((o) => { (((o.history as Json).evals as Json).testAcc as number[]).pop() }), 'model.json: history.evals.testAcc: must hold 2 values, one per evaluation like history.evals.iter, got 1')
    expectRejected(edited((o) => { (((o.history as Json).evals as Json).iter as number[])[1] = 100 }), 'model.json: history.evals.iter[1]: must be an iteration from 0 to 99, got 100')
    expectRejected(edited((o) => { (o.optimizer as Json).step = 101 }), 'model.json: optimizer.step: must be at most the 100 iterations trained, got 101')
    expectRejected(edited((o) => { (o.optimizer as Json).buffers = [{ name: 'v.W1', shape: [12], dtype: 'float64', encoding: 'base64-le', data: base64Of(new Array(12).fill(0)) }] }),
      'model.json: optimizer.buffers[0].name: "v.W1" is not a buffer of sgd (it keeps none)')
    expectRejected(edited((o) => {
      (o.training as Json).optimizer = { kind: 'momentum', momentum: 0.9 }
      ;(o.optimizer as Json).buffers = [{ name: 'v.W1', shape: [12], dtype: 'float64', encoding: 'base64-le', data: base64Of([1, 2]) }]
    }), 'model.json: optimizer.buffers.v.W1.data: must hold 12 float64 values like W1, got 2')
    expectRejected(edited((o) => { delete o.history }), 'model.json: history: expected object, got nothing')
    const huge = 'A'.repeat(Math.ceil((10_000_001 * 8) / 3) * 4 + 4)
    expectRejected(edited((o) => { ((o.history as Json).losses as Json).data = huge }), 'model.json: history.losses.data: must hold at most 10000000 float64 values, got a string')
  })
})
