import { describe, expect, it } from 'vitest'
import { fromArray } from '../../../shared/engine/matrix'
import { numericalGradient } from '../../../shared/engine/numerical-gradient'
import { Random } from '../../../shared/engine/random'
import { SparseAffine } from '../../../shared/engine/sparse-affine'
import { randomMatrix, relativeError, sparseMatrix, weightedSum } from './numeric'

describe('SparseAffine', () => {
  const setup = (seed: number) => {
    const rng = new Random(seed)
    const x = sparseMatrix(rng, 6, 5, 0.5)
    const layer = new SparseAffine(randomMatrix(rng, 5, 3), randomMatrix(rng, 1, 3))
    const G = randomMatrix(rng, 6, 3)
    return { x, layer, G, f: () => weightedSum(layer.forward(x), G) }
  }

  it('backward matches numerical gradient for x, W and b', () => {
    const { x, layer, G, f } = setup(13)
    layer.forward(x)
    const dx = layer.backward(G).data.slice()
    expect(relativeError(dx, numericalGradient(f, x, 1e-5).data)).toBeLessThan(1e-6)
    expect(relativeError(layer.dW.data, numericalGradient(f, layer.W, 1e-5).data)).toBeLessThan(1e-6)
    expect(relativeError(layer.db.data, numericalGradient(f, layer.b, 1e-5).data)).toBeLessThan(1e-6)
  })

  it('computes x·W + b on a worked example', () => {
    const layer = new SparseAffine(fromArray(2, 2, [1, 2, 3, 4]), fromArray(1, 2, [10, 20]))
    expect(Array.from(layer.forward(fromArray(1, 2, [1, 1])).data)).toEqual([14, 26])
  })

  it('skips dx when told nothing needs it, and still fills dW and db', () => {
    const { x, layer: full, G } = setup(14)
    const lean = new SparseAffine(full.W, full.b, false)
    lean.forward(x)
    expect(Array.from(lean.backward(G).data).every((v) => v === 0)).toBe(true)
    full.forward(x)
    full.backward(G)
    expect(lean.dW.data).toEqual(full.dW.data)
    expect(lean.db.data).toEqual(full.db.data)
  })
})
