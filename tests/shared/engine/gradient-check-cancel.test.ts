import { describe, expect, it } from 'vitest'
import { CancelledError } from '../../../shared/engine/cancelled-error'
import { gradientCheck } from '../../../shared/engine/gradient-check'
import { zeros } from '../../../shared/engine/matrix'
import { MultiLayerNet } from '../../../shared/engine/multi-layer-net'
import { Random } from '../../../shared/engine/random'

const NET = { inputSize: 6, hiddenSizes: [5], outputSize: 3, activation: 'relu' as const, weightInit: { kind: 'he' as const } }

function inputs() {
  const rng = new Random(4)
  const x = zeros(2, 6)
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.normal()
  return { x, t: Int32Array.from([0, 2]) }
}

describe('gradientCheck cancellation', () => {
  it('asks shouldStop before each element and gives up with CancelledError the first time it says so', () => {
    const { x, t } = inputs()
    let asked = 0
    const run = () => gradientCheck(new MultiLayerNet(NET, new Random(1)), x, t, { shouldStop: () => ++asked > 10 })
    expect(run).toThrow(CancelledError)
    expect(asked).toBe(11)
    let e: unknown
    try { asked = 0; run() } catch (error) { e = error }
    expect((e as Error).name).toBe('CancelledError')
  })

  it('runs to the end, asking once per element, when never told to stop', () => {
    const { x, t } = inputs()
    let asked = 0
    const net = new MultiLayerNet(NET, new Random(1))
    const rows = gradientCheck(net, x, t, { shouldStop: () => { asked++; return false } })
    expect(rows.map((r) => r.name)).toEqual(['W1', 'b1', 'W2', 'b2'])
    expect(asked).toBe(net.parameterCount)
  })
})
