import { describe, expect, it } from 'vitest'
import { fromArray, zeros } from '../../../shared/engine/matrix'
import { numericalGradient } from '../../../shared/engine/numerical-gradient'
import { Random } from '../../../shared/engine/random'
import { Relu } from '../../../shared/engine/relu'
import { Sigmoid } from '../../../shared/engine/sigmoid'
import { SoftmaxWithLoss } from '../../../shared/engine/softmax-with-loss'
import { randomMatrix, relativeError, weightedSum } from './numeric'

describe('Relu', () => {
  it('backward matches numerical gradient', () => {
    const rng = new Random(11)
    const x = randomMatrix(rng, 4, 7)
    // keep inputs a safe distance from the kink at 0, where the derivative does not exist
    for (let i = 0; i < x.data.length; i++) x.data[i] += Math.sign(x.data[i]) * 0.1
    const G = randomMatrix(rng, 4, 7)
    const layer = new Relu()
    layer.forward(x)
    const dx = layer.backward(G).data.slice()
    const num = numericalGradient(() => weightedSum(layer.forward(x), G), x, 1e-5).data
    expect(relativeError(dx, num)).toBeLessThan(1e-6)
  })

  it('zeroes negative inputs and their gradients', () => {
    const layer = new Relu()
    const y = layer.forward(fromArray(1, 4, [-1, 0, 2, -3]))
    expect(Array.from(y.data)).toEqual([0, 0, 2, 0])
    expect(Array.from(layer.backward(fromArray(1, 4, [5, 6, 7, 8])).data)).toEqual([0, 0, 7, 0])
  })
})

describe('Sigmoid', () => {
  it('backward matches numerical gradient', () => {
    const rng = new Random(12)
    const x = randomMatrix(rng, 5, 6, 3)
    const G = randomMatrix(rng, 5, 6)
    const layer = new Sigmoid()
    layer.forward(x)
    const dx = layer.backward(G).data.slice()
    const num = numericalGradient(() => weightedSum(layer.forward(x), G), x, 1e-5).data
    expect(relativeError(dx, num)).toBeLessThan(1e-6)
  })

  it('saturates without overflow for large inputs', () => {
    const y = new Sigmoid().forward(fromArray(1, 3, [-1000, 0, 1000]))
    expect(Array.from(y.data)).toEqual([0, 0.5, 1])
  })
})

describe('SoftmaxWithLoss', () => {
  it('backward matches numerical gradient with index labels and dout ≠ 1', () => {
    const rng = new Random(15)
    const x = randomMatrix(rng, 4, 10, 2)
    const t = Int32Array.from([3, 0, 9, 3])
    const layer = new SoftmaxWithLoss()
    const dout = 2.5
    layer.forward(x, t)
    const dx = layer.backward(dout).data.slice()
    const num = numericalGradient(() => dout * layer.forward(x, t), x, 1e-5).data
    expect(relativeError(dx, num)).toBeLessThan(1e-6)
  })

  it('backward matches numerical gradient with one-hot targets', () => {
    const rng = new Random(16)
    const x = randomMatrix(rng, 3, 4)
    const t = zeros(3, 4)
    t.data[1] = 1; t.data[4] = 1; t.data[11] = 1
    const layer = new SoftmaxWithLoss()
    layer.forward(x, t)
    const dx = layer.backward().data.slice()
    expect(relativeError(dx, numericalGradient(() => layer.forward(x, t), x, 1e-5).data)).toBeLessThan(1e-6)
  })

  it('gives the same loss for one-hot and index labels', () => {
    const rng = new Random(17)
    const x = randomMatrix(rng, 2, 3)
    const oneHot = fromArray(2, 3, [0, 0, 1, 1, 0, 0])
    expect(new SoftmaxWithLoss().forward(x, oneHot)).toBeCloseTo(new SoftmaxWithLoss().forward(x, Int32Array.from([2, 0])), 14)
  })

  it('stays finite and exact for huge logits', () => {
    const layer = new SoftmaxWithLoss()
    const loss = layer.forward(fromArray(1, 3, [1000, 0, -1000]), Int32Array.from([1]))
    expect(loss).toBe(1000)
    expect(Array.from(layer.y!.data)).toEqual([1, 0, 0])
    expect(Number.isFinite(layer.forward(fromArray(1, 2, [1e308, -1e308]), Int32Array.from([0])))).toBe(true)
  })

  it('gives log(10) for uniform logits over 10 classes', () => {
    expect(new SoftmaxWithLoss().forward(zeros(2, 10), Int32Array.from([0, 7]))).toBeCloseTo(Math.log(10), 14)
  })
})
