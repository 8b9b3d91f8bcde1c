import { describe, expect, it } from 'vitest'
import { buggyGradient } from '../../../shared/engine/buggy-gradient'
import type { Engine } from '../../../shared/engine/engine'
import { gradientCheck, type ParamCheck } from '../../../shared/engine/gradient-check'
import { GRADIENT_BUGS, type GradientBug } from '../../../shared/engine/gradient-bug'
import { MultiLayerNet } from '../../../shared/engine/multi-layer-net'
import type { NetworkConfig } from '../../../shared/engine/network-config'
import { Random } from '../../../shared/engine/random'
import { randomMatrix } from './numeric'

const config = (over: Partial<NetworkConfig> = {}): NetworkConfig => ({
  inputSize: 8, hiddenSizes: [6, 5], outputSize: 4, activation: 'relu', weightInit: { kind: 'std', std: 0.5 }, ...over,
})
const x = randomMatrix(new Random(52), 3, 8)
const t = Int32Array.from([1, 3, 0])

function check(bug: GradientBug | null, engine: Engine, over: Partial<NetworkConfig> = {}): Record<string, ParamCheck> {
  const net = new MultiLayerNet(config(over), new Random(51), engine)
  const rows = gradientCheck(net, x, t, bug ? { gradient: (n, xx, tt) => buggyGradient(n, xx, tt, bug) } : {})
  return Object.fromEntries(rows.map((r) => [r.name, r]))
}

/** Which parameters each bug breaks in x → Affine → ReLU → Affine → ReLU → Affine → Softmax-with-Loss. */
const BROKEN: Record<GradientBug, string[]> = {
  'softmax-no-1-over-n': ['W1', 'b1', 'W2', 'b2', 'W3', 'b3'],
  'relu-no-mask': ['W1', 'b1', 'W2', 'b2'],
  'db-not-summed': ['b1', 'b2', 'b3'],
  'dx-no-transpose': ['W1', 'b1', 'W2', 'b2'],
}

describe.each(['fast', 'reference'] as const)('buggyGradient on the %s engine', (engine) => {
  it('without a bug every parameter passes', () => {
    for (const r of Object.values(check(null, engine))) expect(r.maxRel, r.name).toBeLessThan(1e-6)
  })

  it.each(GRADIENT_BUGS)('%s fails the check where the bug reaches, and only there', (bug) => {
    const rows = check(bug, engine)
    for (const [name, r] of Object.entries(rows)) {
      if (BROKEN[bug].includes(name)) expect(r.maxRel, name).toBeGreaterThan(0.1)
      else expect(r.maxRel, name).toBeLessThan(1e-6)
    }
  })
})

describe('buggyGradient', () => {
  it('without the 1/N every gradient is N times too large: relative error (N − 1)/N everywhere', () => {
    for (const r of Object.values(check('softmax-no-1-over-n', 'fast'))) expect(r.maxRel).toBeCloseTo(2 / 3, 6)
  })

  it('relu-no-mask breaks nothing in a sigmoid network', () => {
    for (const r of Object.values(check('relu-no-mask', 'fast', { activation: 'sigmoid' }))) expect(r.maxRel, r.name).toBeLessThan(1e-6)
  })

  it('is net.gradient bit for bit where the bug does nothing: training forward pass, Dropout and weight decay included', () => {
    const net = new MultiLayerNet(config({ activation: 'sigmoid' }), new Random(53), 'fast', { weightDecay: 0.1, dropout: 0.3 })
    net.gradient(x, t)
    // the masks Dropout drew in that pass stay for the passes below
    net.fixDropoutMasks(true)
    const copy = (g: Record<string, { data: Float64Array }>) => Object.fromEntries(Object.entries(g).map(([k, m]) => [k, m.data.slice()]))
    const want = copy(net.gradient(x, t))
    const lossWant = net.lastLoss
    expect(copy(buggyGradient(net, x, t, 'relu-no-mask'))).toEqual(want)
    expect(net.lastLoss).toBe(lossWant)
    const one = randomMatrix(new Random(54), 1, 8), t1 = Int32Array.from([2])
    const single = copy(net.gradient(one, t1))
    // with one image, the first row is the sum and N is 1
    expect(copy(buggyGradient(net, one, t1, 'db-not-summed'))).toEqual(single)
    expect(copy(buggyGradient(net, one, t1, 'softmax-no-1-over-n'))).toEqual(single)
  })

  it('leaves the network\'s own backward pass correct afterwards', () => {
    const net = new MultiLayerNet(config(), new Random(51))
    const clean = Object.fromEntries(Object.entries(net.gradient(x, t)).map(([k, m]) => [k, m.data.slice()]))
    for (const bug of GRADIENT_BUGS) buggyGradient(net, x, t, bug)
    const again = net.gradient(x, t)
    for (const key in clean) expect(again[key].data, key).toEqual(clean[key])
  })
})
