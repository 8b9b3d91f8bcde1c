import { describe, expect, it } from 'vitest'
import { clone, fromArray } from '../../../shared/engine/matrix'
import { Random } from '../../../shared/engine/random'
import { Sgd } from '../../../shared/engine/sgd'
import { WasmSparseAffine } from '../../../shared/engine/wasm-sparse-affine'
import { wasmKernelsModule } from '../../../shared/engine/wasm-kernels'
import { randomMatrix, sameBits } from './numeric'

describe('Sgd', () => {
  it('updates every params[key] by −lr·grads[key], in place, as the book\'s SGD.update', () => {
    const W1 = fromArray(1, 3, [1, 2, 3]), b1 = fromArray(1, 2, [0, -1])
    const data = W1.data
    new Sgd(0.5).update({ W1, b1 }, { W1: fromArray(1, 3, [2, 0, -4]), b1: fromArray(1, 2, [1, 1]) })
    expect(W1.data).toBe(data)
    expect(Array.from(W1.data)).toEqual([0, 2, 5])
    expect(Array.from(b1.data)).toEqual([-0.5, -1.5])
  })

  it('gives the same bits on a WebAssembly layer\'s own W and dW as on plain arrays', () => {
    const module = wasmKernelsModule()
    if (!module) throw new Error('WebAssembly SIMD is unavailable')
    const rng = new Random(61)
    const W = randomMatrix(rng, 7, 5), b = randomMatrix(rng, 1, 5)
    const layer = new WasmSparseAffine(clone(W), clone(b), true, module)
    layer.forward(randomMatrix(rng, 4, 7))
    layer.backward(randomMatrix(rng, 4, 5))
    const plain = { W: clone(layer.W), b: clone(layer.b) }
    const plainGrads = { W: clone(layer.dW), b: clone(layer.db) }
    const sgd = new Sgd(0.3)
    sgd.update({ W: layer.W, b: layer.b }, { W: layer.dW, b: layer.db })
    sgd.update(plain, plainGrads)
    expect(sameBits(layer.W.data, plain.W.data)).toBe(true)
    expect(sameBits(layer.b.data, plain.b.data)).toBe(true)
    expect(sameBits(layer.W.data, W.data)).toBe(false)
  })
})
