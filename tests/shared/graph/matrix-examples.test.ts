import { describe, expect, it } from 'vitest'
import { fromArray, type Matrix } from '../../../shared/engine/matrix'
import { affineBatchGraph } from '../../../shared/graph/affine-batch-graph'
import { formatGraphValue } from '../../../shared/graph/format-graph-value'
import { reluGraph } from '../../../shared/graph/relu-graph'

const rows = (m: unknown) => {
  const v = m as Matrix
  return Array.from({ length: v.rows }, (_, i) => Array.from(v.data.subarray(i * v.cols, (i + 1) * v.cols)))
}

describe('ReLU on the book\'s x', () => {
  it('masks x <= 0 and stops dout there', () => {
    const trace = reluGraph.run({})
    expect(rows(trace.values.y)).toEqual([[1, 0], [0, 3]])
    expect(rows(trace.extras[0].value)).toEqual([[0, 1], [1, 0]])
    expect(rows(trace.grads.x)).toEqual([[0.1, 0], [0, 0.4]])
  })

  it('recomputes the mask for an edited x', () => {
    const trace = reluGraph.run({ x: fromArray(2, 2, [-1, 2, 3, -4]), dout: fromArray(2, 2, [1, 1, 1, 1]) })
    expect(rows(trace.grads.x)).toEqual([[0, 1], [1, 0]])
  })
})

describe('Affine and Softmax-with-Loss on a batch of 2', () => {
  const x = fromArray(2, 3, [1, 2, 3, -1, 0.5, 2])
  const W = fromArray(3, 2, [0.2, -0.1, 0.3, 0.4, -0.5, 0.1])
  const b = fromArray(1, 2, [0.05, -0.05])
  const t = fromArray(2, 2, [0, 1, 1, 0])
  const trace = affineBatchGraph.run({ x, W, b, t })

  it('forwards Y = x·W + b and L = the mean cross-entropy of softmax(Y)', () => {
    const Y = rows(trace.values.Y)
    // x·W + b by hand for the first entry: 1·0.2 + 2·0.3 + 3·(−0.5) + 0.05
    expect(Y[0][0]).toBeCloseTo(-0.65, 12)
    const loss = Y.reduce((s, r, n) => {
      const k = n === 0 ? 1 : 0
      return s - (r[k] - Math.log(Math.exp(r[0]) + Math.exp(r[1])))
    }, 0) / 2
    expect(trace.values.L).toBeCloseTo(loss, 12)
  })

  it('backward gives (y − t)/N, then dx, dW, db of the right shapes, each agreeing with central differences', () => {
    const y = trace.extras.find((e) => e.label.startsWith('y'))?.value as Matrix
    const dY = trace.grads.Y as Matrix
    dY.data.forEach((d, i) => expect(d).toBeCloseTo((y.data[i] - t.data[i]) / 2, 14))
    expect([trace.grads.x, trace.grads.W, trace.grads.b].map((m) => [(m as Matrix).rows, (m as Matrix).cols])).toEqual([[2, 3], [3, 2], [1, 2]])
    expect(rows(trace.grads.b)[0]).toEqual([dY.data[0] + dY.data[2], dY.data[1] + dY.data[3]])
    expect(trace.backward.map((s) => [s.to, s.rule, s.shapes])).toEqual([
      ['Y', '(y − t) / N', '(2, 2)'],
      ['x', 'dout·Wᵀ', '(2, 2)·(2, 3) → (2, 3)'],
      ['W', 'xᵀ·dout', '(3, 2)·(2, 2) → (3, 2)'],
      ['b', 'Σ over the batch of dout', '(2, 2) → (1, 2)'],
    ])
    expect(trace.checks.map((c) => c.agree)).toEqual([true, true, true])
    expect(trace.backward[0].detail).toHaveLength(4)
  })

  it('leaves the given inputs untouched and prints matrices one row per line', () => {
    expect(Array.from(W.data)).toEqual([0.2, -0.1, 0.3, 0.4, -0.5, 0.1])
    expect(formatGraphValue(fromArray(2, 2, [1.1 * 2, -0.5, 3, 0]))).toBe('2.2 -0.5\n3 0')
  })
})
