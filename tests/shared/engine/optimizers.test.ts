import { describe, expect, it } from 'vitest'
import { AdaGrad } from '../../../shared/engine/ada-grad'
import { Adam } from '../../../shared/engine/adam'
import { createOptimizer } from '../../../shared/engine/create-optimizer'
import { fromArray, type Matrix } from '../../../shared/engine/matrix'
import { Momentum } from '../../../shared/engine/momentum'
import { Nesterov } from '../../../shared/engine/nesterov'
import { OPTIMIZER_KINDS, type Optimizer, type OptimizerConfig } from '../../../shared/engine/optimizer'
import { Random } from '../../../shared/engine/random'
import { RmsProp } from '../../../shared/engine/rms-prop'
import { Sgd } from '../../../shared/engine/sgd'
import { randomMatrix, sameBits } from './numeric'

/** The book's toy problem: x and y as 1×1 matrices, and the gradients given for each step. */
function run(opt: Optimizer, start: [number, number], grads: [number, number][]): [number, number][] {
  const x = fromArray(1, 1, [start[0]]), y = fromArray(1, 1, [start[1]])
  return grads.map(([gx, gy]) => {
    opt.update({ x, y }, { x: fromArray(1, 1, [gx]), y: fromArray(1, 1, [gy]) })
    return [x.data[0], y.data[0]]
  })
}

const GRADS: [number, number][] = [[2, -1], [4, 0.5]]

describe('the book\'s optimisers, step by step against hand-computed values', () => {
  it('SGD: W ← W − lr·g', () => {
    // x: 1 − 0.1·2 = 0.8, then 0.8 − 0.1·4 = 0.4
    const steps = run(new Sgd(0.1), [1, 2], GRADS)
    expect(steps[0][0]).toBeCloseTo(0.8, 15)
    expect(steps[1][0]).toBeCloseTo(0.4, 15)
    expect(steps[1][1]).toBeCloseTo(2 + 0.1 - 0.05, 15)
  })

  it('Momentum: v ← 0.9·v − lr·g, W ← W + v', () => {
    // v1 = −0.2, x1 = 0.8; v2 = 0.9·(−0.2) − 0.4 = −0.58, x2 = 0.22
    const steps = run(new Momentum(0.1), [1, 2], GRADS)
    expect(steps[0][0]).toBeCloseTo(0.8, 15)
    expect(steps[1][0]).toBeCloseTo(0.22, 15)
    // y: v1 = 0.1, y1 = 2.1; v2 = 0.09 − 0.05 = 0.04, y2 = 2.14
    expect(steps[1][1]).toBeCloseTo(2.14, 15)
  })

  it('Nesterov: v ← 0.9·v − lr·g, W ← W + 0.81·v − 1.9·lr·g', () => {
    // v1 = −0.2, x1 = 1 + 0.81·(−0.2) − 1.9·0.2 = 0.458
    // v2 = −0.18 − 0.4 = −0.58, x2 = 0.458 + 0.81·(−0.58) − 1.9·0.4 = −0.7718
    const steps = run(new Nesterov(0.1), [1, 2], GRADS)
    expect(steps[0][0]).toBeCloseTo(0.458, 14)
    expect(steps[1][0]).toBeCloseTo(-0.7718, 14)
  })

  it('AdaGrad: h ← h + g², W ← W − lr·g/(√h + 1e-7)', () => {
    // h1 = 4, x1 = 1 − 0.5·2/(2 + 1e-7); h2 = 20, x2 = x1 − 0.5·4/(√20 + 1e-7)
    const steps = run(new AdaGrad(0.5), [1, 2], GRADS)
    const x1 = 1 - 1 / (2 + 1e-7)
    expect(steps[0][0]).toBeCloseTo(x1, 15)
    expect(steps[1][0]).toBeCloseTo(x1 - 2 / (Math.sqrt(20) + 1e-7), 15)
  })

  it('RMSprop: h ← 0.99·h + 0.01·g², W ← W − lr·g/(√h + 1e-7)', () => {
    // h1 = 0.04, x1 = 1 − 0.01·2/0.2 = 0.9; h2 = 0.0396 + 0.16 = 0.1996, x2 = 0.9 − 0.04/√0.1996
    const steps = run(new RmsProp(0.01), [1, 2], GRADS)
    expect(steps[0][0]).toBeCloseTo(1 - 0.02 / (0.2 + 1e-7), 15)
    expect(steps[1][0]).toBeCloseTo(steps[0][0] - 0.04 / (Math.sqrt(0.1996) + 1e-7), 14)
  })

  it('Adam: bias-corrected lr_t, m and v as moving averages, ε = 1e-7', () => {
    // t = 1: lr_t = 0.001·√0.001/0.1; m = 0.2, v = 0.004; x1 = 1 − lr_t·0.2/(√0.004 + 1e-7)
    const steps = run(new Adam(0.001), [1, 2], GRADS)
    const lr1 = (0.001 * Math.sqrt(1 - 0.999)) / (1 - 0.9)
    const x1 = 1 - (lr1 * 0.2) / (Math.sqrt(0.004) + 1e-7)
    expect(steps[0][0]).toBeCloseTo(x1, 15)
    expect(x1).toBeCloseTo(1 - 0.001, 8) // Adam's first step is about lr in every coordinate (ε shifts it by ~1.6e-9)
    // t = 2: lr_t = 0.001·√(1 − 0.999²)/(1 − 0.81); m = 0.2 + 0.1·(4 − 0.2) = 0.58; v = 0.004 + 0.001·(16 − 0.004) = 0.019996
    const lr2 = (0.001 * Math.sqrt(1 - 0.999 ** 2)) / (1 - 0.9 ** 2)
    expect(steps[1][0]).toBeCloseTo(x1 - (lr2 * 0.58) / (Math.sqrt(0.019996) + 1e-7), 14)
  })

  it('createOptimizer builds each kind with the book\'s defaults', () => {
    const configs: OptimizerConfig[] = OPTIMIZER_KINDS.map((kind) => ({ kind }) as OptimizerConfig)
    const built = configs.map((c) => createOptimizer(c, 0.01))
    expect(built.map((o) => o.kind)).toEqual([...OPTIMIZER_KINDS])
    expect(built.map((o) => o.constructor.name)).toEqual(['Sgd', 'Momentum', 'Nesterov', 'AdaGrad', 'RmsProp', 'Adam'])
    expect((createOptimizer({ kind: 'momentum' }, 0.1) as Momentum).momentum).toBe(0.9)
    expect((createOptimizer({ kind: 'adam', beta1: 0.5 }, 0.1) as Adam).beta2).toBe(0.999)
  })
})

describe('optimiser state', () => {
  it('a copy restored by setState continues bit for bit, for every optimiser', () => {
    for (const kind of OPTIMIZER_KINDS) {
      const rng = new Random(5)
      const W: Matrix = randomMatrix(rng, 3, 4), b: Matrix = randomMatrix(rng, 1, 4)
      const grads = Array.from({ length: 6 }, () => ({ W: randomMatrix(rng, 3, 4), b: randomMatrix(rng, 1, 4) }))
      const a = createOptimizer({ kind } as OptimizerConfig, 0.05)
      const params = { W: { ...W, data: W.data.slice() }, b: { ...b, data: b.data.slice() } }
      grads.slice(0, 3).forEach((g) => a.update(params, g))
      const saved = a.state()
      const copy = { W: { ...W, data: params.W.data.slice() }, b: { ...b, data: params.b.data.slice() } }
      const c = createOptimizer({ kind } as OptimizerConfig, 0.05)
      c.setState(structuredClone(saved))
      grads.slice(3).forEach((g) => { a.update(params, g); c.update(copy, g) })
      expect(sameBits(params.W.data, copy.W.data), kind).toBe(true)
      expect(sameBits(params.b.data, copy.b.data), kind).toBe(true)
      expect(a.state().step).toBe(6)
    }
  })

  it('names its buffers <slot>.<param> and refuses foreign ones', () => {
    const adam = new Adam(0.1)
    adam.update({ W1: fromArray(1, 2, [1, 2]) }, { W1: fromArray(1, 2, [3, 4]) })
    expect(adam.state().buffers.map((b) => b.name)).toEqual(['m.W1', 'v.W1'])
    expect(() => new Momentum(0.1).setState(adam.state())).toThrow(/unexpected buffer "m.W1"/)
    expect(() => new Sgd(0.1).setState(adam.state())).toThrow(/SGD keeps no buffers/)
  })
})
