import { describe, expect, it } from 'vitest'
import { createRelu } from '../../../shared/engine/create-relu'
import { fromArray, type Matrix } from '../../../shared/engine/matrix'
import { numericalGradient } from '../../../shared/engine/numerical-gradient'
import { Random } from '../../../shared/engine/random'
import { Relu } from '../../../shared/engine/relu'
import { kernelBuild } from '../../../shared/engine/wasm-kernels'
import { WasmRelu } from '../../../shared/engine/wasm-relu'
import { randomMatrix, relativeError, sameBits, weightedSum } from './numeric'

const module = kernelBuild('exact')
if (!module) throw new Error('these tests need WebAssembly SIMD')

describe('WasmRelu', () => {
  it('backward matches numerical gradient', () => {
    const rng = new Random(21)
    const x = randomMatrix(rng, 5, 9)
    // a safe distance from the kink at 0, where the derivative does not exist
    for (let i = 0; i < x.data.length; i++) x.data[i] += Math.sign(x.data[i]) * 0.1
    const G = randomMatrix(rng, 5, 9)
    const layer = new WasmRelu(module)
    layer.forward(x)
    const dx = layer.backward(G).data.slice()
    const num = numericalGradient(() => weightedSum(layer.forward(x), G), x, 1e-5).data
    expect(relativeError(dx, num)).toBeLessThan(1e-6)
  })

  it('gives the book Relu’s bits, mask included: −0, NaN, ±Infinity, odd sizes, and growing', () => {
    const rng = new Random(22)
    const book = new Relu(), fast = new WasmRelu(module)
    // sizes that grow the layer's memory, shrink, and end odd (the scalar tail)
    for (const [rows, cols] of [[3, 7], [100, 50], [1, 1], [200, 301], [4, 5]]) {
      const x = randomMatrix(rng, rows, cols)
      x.data[0] = -0
      if (x.data.length > 4) { x.data[1] = Number.NaN; x.data[2] = Number.POSITIVE_INFINITY; x.data[3] = Number.NEGATIVE_INFINITY; x.data[4] = 0 }
      const yBook = book.forward(x).data.slice(), yFast = fast.forward(x)
      expect([yFast.rows, yFast.cols]).toEqual([rows, cols])
      expect(sameBits(yFast.data, yBook)).toBe(true)
      expect(Array.from(fast.mask)).toEqual(Array.from(book.mask))
      const dout: Matrix = randomMatrix(rng, rows, cols)
      dout.data[dout.data.length - 1] = Number.NaN
      expect(sameBits(fast.backward(dout).data, book.backward(dout).data.slice())).toBe(true)
    }
  })

  it('zeroes negative inputs and their gradients, and is the fast engine’s ReLU', () => {
    const layer = createRelu()
    expect(layer).toBeInstanceOf(WasmRelu)
    expect(layer).toBeInstanceOf(Relu)
    const y = layer.forward(fromArray(1, 4, [-1, 0, 2, -3]))
    expect(Array.from(y.data)).toEqual([0, 0, 2, 0])
    expect(Array.from(layer.backward(fromArray(1, 4, [5, 6, 7, 8])).data)).toEqual([0, 0, 7, 0])
  })

  it('names the mismatch when dout is not the shape of the last forward', () => {
    const layer = new WasmRelu(module)
    layer.forward(fromArray(2, 3, [1, -1, 2, -2, 3, -3]))
    expect(() => layer.backward(fromArray(1, 3, [1, 2, 3]))).toThrow(/dout has 3 entries, the last forward had 6/)
  })
})
