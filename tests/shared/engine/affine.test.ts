import { describe, expect, it } from 'vitest'
import { Affine } from '../../../shared/engine/affine'
import { fromArray } from '../../../shared/engine/matrix'
import { numericalGradient } from '../../../shared/engine/numerical-gradient'
import { Random } from '../../../shared/engine/random'
import { randomMatrix, relativeError, weightedSum } from './numeric'

describe('Affine (the book\'s dense layer)', () => {
  it('backward matches the book\'s numericalGradient for x, W and b', () => {
    const rng = new Random(13)
    const x = randomMatrix(rng, 6, 5)
    const layer = new Affine(randomMatrix(rng, 5, 3), randomMatrix(rng, 1, 3))
    const G = randomMatrix(rng, 6, 3)
    const f = () => weightedSum(layer.forward(x), G)
    layer.forward(x)
    const dx = layer.backward(G).data.slice()
    expect(relativeError(dx, numericalGradient(f, x).data)).toBeLessThan(1e-6)
    expect(relativeError(layer.dW.data, numericalGradient(f, layer.W).data)).toBeLessThan(1e-6)
    expect(relativeError(layer.db.data, numericalGradient(f, layer.b).data)).toBeLessThan(1e-6)
  })

  it('computes out = x·W + b, dW = xᵀ·dout, db = Σ dout and dx = dout·Wᵀ on a 2×3 → 2 example', () => {
    const W = fromArray(3, 2, [1, 2, 3, 4, 5, 6])
    const layer = new Affine(W, fromArray(1, 2, [10, 20]))
    const x = fromArray(2, 3, [1, 0, 2, -1, 1, 0])
    // row 0: [1·1 + 2·5, 1·2 + 2·6] + b;  row 1: [−1 + 3, −2 + 4] + b
    expect(Array.from(layer.forward(x).data)).toEqual([21, 34, 12, 22])
    const dx = layer.backward(fromArray(2, 2, [1, 0, 2, -1]))
    expect(Array.from(layer.dW.data)).toEqual([1 - 2, 1, 0 + 2, -1, 2, 0])
    expect(Array.from(layer.db.data)).toEqual([3, -1])
    expect(Array.from(dx.data)).toEqual([1, 3, 5, 2 - 2, 6 - 4, 10 - 6])
  })

  it('refuses an input whose width is not W\'s height', () => {
    const layer = new Affine(randomMatrix(new Random(1), 3, 2), randomMatrix(new Random(2), 1, 2))
    expect(() => layer.forward(randomMatrix(new Random(3), 2, 4))).toThrow('Affine.forward: x has 4 columns, W has 3 rows')
    expect(() => new Affine(layer.W, layer.b).backward(randomMatrix(new Random(4), 2, 2))).toThrow(/before forward/)
  })
})
