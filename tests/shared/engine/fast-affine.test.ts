import { beforeAll, describe, expect, it } from 'vitest'
import { loadDefaultDataset } from '../../../electron/services/dataset-loader'
import type { Dataset } from '../../../shared/data/dataset'
import { PIXEL_SCALE } from '../../../shared/data/fill-batch'
import { imageBytes } from '../../../shared/data/image-bytes'
import { sparsePixels, type SparsePixels } from '../../../shared/data/sparse-pixels'
import { Affine } from '../../../shared/engine/affine'
import type { SparseAffineLayer } from '../../../shared/engine/layer'
import { clone, zeros, type Matrix } from '../../../shared/engine/matrix'
import { Random } from '../../../shared/engine/random'
import { SparseAffine } from '../../../shared/engine/sparse-affine'
import { SparseRows } from '../../../shared/engine/sparse-rows'
import { tileColumns, WasmSparseAffine } from '../../../shared/engine/wasm-sparse-affine'
import { wasmKernelsModule } from '../../../shared/engine/wasm-kernels'
import { randomMatrix, sameBits, sparseMatrix } from './numeric'

/*
 * Every fast path against the book's dense Affine: skipping the products whose x is 0 changes
 * no sum, so each must give the reference's bits for out, dx, dW and db.
 */

const module = wasmKernelsModule()
if (!module) throw new Error('WebAssembly SIMD is unavailable: the fast kernels cannot be tested here')

/** A fresh fast layer over copies of W and b (a WebAssembly layer moves them into its own memory). */
const LAYERS: Record<string, (W: Matrix, b: Matrix, needsDx: boolean) => SparseAffineLayer> = {
  SparseAffine: (W, b, needsDx) => new SparseAffine(clone(W), clone(b), needsDx),
  WasmSparseAffine: (W, b, needsDx) => new WasmSparseAffine(clone(W), clone(b), needsDx, module),
}

/** The ways an input reaches a fast layer. */
type Feed = (layer: SparseAffineLayer, x: Matrix) => Matrix
const DENSE_FEEDS: Record<string, Feed> = {
  'forward(x)': (layer, x) => layer.forward(x),
  'forwardSparse(load(x))': (layer, x) => layer.forwardSparse(new SparseRows().load(x)),
}

/** Images idx[from…from+rows) of a pixel set, for the feeds that read bytes or pixel lists. */
interface PixelBatch { images: Uint8Array; pixels: SparsePixels; idx: Int32Array | null; from: number; rows: number; cols: number }
const PIXEL_FEEDS: Record<string, (p: PixelBatch) => SparseRows> = {
  loadBytes: (p) => new SparseRows().loadBytes(p.images, p.cols, p.idx, p.from, p.rows, PIXEL_SCALE),
  loadSparse: (p) => new SparseRows().loadSparse(p.pixels, p.cols, p.idx, p.from, p.rows, PIXEL_SCALE),
  selectPixels: (p) => new SparseRows().selectPixels(p.pixels, p.cols, p.idx, p.from, p.rows, PIXEL_SCALE),
}

/** The batch as the book feeds it: (rows, cols) float64 in [0, 1]. */
function denseOf(p: PixelBatch): Matrix {
  const x = zeros(p.rows, p.cols)
  for (let r = 0; r < p.rows; r++) {
    const n = p.idx ? p.idx[p.from + r] : p.from + r
    for (let k = 0; k < p.cols; k++) x.data[r * p.cols + k] = PIXEL_SCALE[p.images[n * p.cols + k]]
  }
  return x
}

/** Forward then backward through the reference; returns copies of what it computed. */
function reference(W: Matrix, b: Matrix, x: Matrix, dout: Matrix) {
  const layer = new Affine(clone(W), clone(b))
  const out = layer.forward(x).data.slice()
  const dx = layer.backward(dout).data.slice()
  return { out, dx, dW: layer.dW.data, db: layer.db.data }
}

function expectSameAsReference(layer: SparseAffineLayer, forward: () => Matrix, want: ReturnType<typeof reference>, dout: Matrix, needsDx: boolean, what: string) {
  expect(sameBits(forward().data, want.out), `${what}: out`).toBe(true)
  const dx = layer.backward(dout)
  if (needsDx) expect(sameBits(dx.data, want.dx), `${what}: dx`).toBe(true)
  expect(sameBits(layer.dW.data, want.dW), `${what}: dW`).toBe(true)
  expect(sameBits(layer.db.data, want.db), `${what}: db`).toBe(true)
}

/** Checks every fast layer through every feed against the reference, with and without dx. */
function checkAll(W: Matrix, b: Matrix, x: Matrix, dout: Matrix, pixels: PixelBatch | null, label: string) {
  const want = reference(W, b, x, dout)
  for (const [name, make] of Object.entries(LAYERS)) {
    for (const needsDx of [true, false]) {
      for (const [feed, run] of Object.entries(DENSE_FEEDS)) {
        const layer = make(W, b, needsDx)
        expectSameAsReference(layer, () => run(layer, x), want, dout, needsDx, `${label} ${name} ${feed} needsDx=${needsDx}`)
      }
      if (!pixels) continue
      for (const [feed, load] of Object.entries(PIXEL_FEEDS)) {
        const layer = make(W, b, needsDx)
        expectSameAsReference(layer, () => layer.forwardSparse(load(pixels)), want, dout, needsDx, `${label} ${name} ${feed} needsDx=${needsDx}`)
      }
    }
  }
}

/** Random bytes with about `density` of them nonzero, as images of `cols` pixels. */
function randomImages(rng: Random, count: number, cols: number, density: number): Uint8Array {
  return new Uint8Array(count * cols).map(() => (rng.next() < density ? 1 + rng.int(255) : 0))
}

describe('the fast Affine layers give the reference Affine\'s bits', () => {
  it('on random real-valued inputs of any sparsity, including rows of zeros', () => {
    const rng = new Random(51)
    for (const [rows, K, M, density] of [[5, 13, 11, 0.5], [1, 7, 3, 1], [40, 30, 17, 0.2], [9, 24, 8, 0]] as const) {
      const W = randomMatrix(rng, K, M), b = randomMatrix(rng, 1, M)
      const x = sparseMatrix(rng, rows, K, density)
      x.data.fill(0, 0, K)
      checkAll(W, b, x, randomMatrix(rng, rows, M), null, `random (${rows}, ${K}) → ${M} at ${density}`)
    }
  })

  it('on random pixel batches, in order and chosen by index', () => {
    const rng = new Random(52)
    const count = 60, cols = 64
    const images = randomImages(rng, count, cols, 0.25)
    const pixels = sparsePixels(images, count, cols)
    const W = randomMatrix(rng, cols, 19, 0.1), b = randomMatrix(rng, 1, 19, 0.1)
    const idx = Int32Array.from({ length: count }, () => rng.int(count))
    for (const batch of [{ idx: null, from: 7, rows: 30 }, { idx, from: 3, rows: 25 }]) {
      const p = { images, pixels, cols, ...batch }
      checkAll(W, b, denseOf(p), randomMatrix(rng, p.rows, 19), p, `random pixels idx=${batch.idx ? 'yes' : 'no'}`)
    }
  })

  it('on a batch too large for the WebAssembly layer to list in its own memory', () => {
    const rng = new Random(53)
    const W = randomMatrix(rng, 784, 10, 0.01), b = randomMatrix(rng, 1, 10)
    const x = sparseMatrix(rng, 1400, 784, 0.2)
    const dout = randomMatrix(rng, 1400, 10)
    const want = reference(W, b, x, dout)
    const layer = LAYERS.WasmSparseAffine(W, b, true)
    expectSameAsReference(layer, () => layer.forward(x), want, dout, true, 'wasm (1400, 784)')
  })
})

describe('on MNIST batches', () => {
  let mnist: Dataset
  beforeAll(async () => { mnist = await loadDefaultDataset() })

  it('the fast Affine layers give the reference Affine\'s bits, first layer and hidden layer alike', () => {
    const rng = new Random(54)
    const split = mnist.train, cols = mnist.rows * mnist.cols, count = 2000
    const images = imageBytes(split, cols, 0, count)
    const pixels = sparsePixels(images, count, cols)
    const idx = Int32Array.from({ length: 100 }, () => rng.int(count))
    const p = { images, pixels, cols, idx, from: 0, rows: 100 }
    const W1 = randomMatrix(rng, cols, 50, 0.01), b1 = randomMatrix(rng, 1, 50, 0.01)
    const x = denseOf(p)
    checkAll(W1, b1, x, randomMatrix(rng, 100, 50, 0.01), p, 'MNIST first layer')
    // the second layer's input: the ReLU of the first layer's output, about half of it 0
    const h = new Affine(clone(W1), clone(b1)).forward(x)
    for (let i = 0; i < h.data.length; i++) h.data[i] = Math.max(0, h.data[i])
    const W2 = randomMatrix(rng, 50, 10, 0.01), b2 = randomMatrix(rng, 1, 10, 0.01)
    checkAll(W2, b2, h, randomMatrix(rng, 100, 10, 0.01), null, 'MNIST hidden layer')
  })

  it('wide layers, whose products run over several tiles of columns, the last one ragged (W as it is, then in panels)', () => {
    const rng = new Random(55)
    const split = mnist.train, cols = mnist.rows * mnist.cols, count = 300
    const images = imageBytes(split, cols, 0, count)
    const pixels = sparsePixels(images, count, cols)
    const idx = Int32Array.from({ length: 40 }, () => rng.int(count))
    const p = { images, pixels, cols, idx, from: 0, rows: 40 }
    // whole tiles, then a block, a pair and one column: two tiles read W as it is, four its panels
    for (const tiles of [2, 4]) {
      const M = tiles * tileColumns(cols) + 16 + 3
      const W = randomMatrix(rng, cols, M, 0.01), b = randomMatrix(rng, 1, M, 0.01)
      checkAll(W, b, denseOf(p), randomMatrix(rng, 40, M, 0.01), p, `MNIST first layer, ${M} columns`)
    }
  })
})
