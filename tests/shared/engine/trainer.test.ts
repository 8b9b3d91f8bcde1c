import { beforeAll, describe, expect, it } from 'vitest'
import { loadDefaultDataset } from '../../../electron/services/dataset-loader'
import type { Dataset } from '../../../shared/data/dataset'
import { fillBatch } from '../../../shared/data/fill-batch'
import { Affine } from '../../../shared/engine/affine'
import { gradientCheck } from '../../../shared/engine/gradient-check'
import { zeros } from '../../../shared/engine/matrix'
import { MultiLayerNet } from '../../../shared/engine/multi-layer-net'
import { BOOK_NETWORK } from '../../../shared/engine/network-config'
import { Random } from '../../../shared/engine/random'
import { BOOK_TRAINING, type TrainConfig } from '../../../shared/engine/train-config'
import { Trainer } from '../../../shared/engine/trainer'

let mnist: Dataset
beforeAll(async () => { mnist = await loadDefaultDataset() })

const bytesOf = (t: Trainer) => Object.values(t.net.params).map((p) => Buffer.from(p.data.buffer, p.data.byteOffset, p.data.byteLength))

describe('Trainer on MNIST', () => {
  it('repeats a run bit for bit for the same seed and config', () => {
    for (const sampling of ['replacement', 'epochs'] as const) {
      const config: TrainConfig = { ...BOOK_TRAINING, sampling, seed: 7 }
      const a = new Trainer(config, mnist), b = new Trainer(config, mnist)
      const la: number[] = [], lb: number[] = []
      for (let i = 0; i < 60; i++) { la.push(a.step()); lb.push(b.step()) }
      expect(lb).toEqual(la)
      bytesOf(b).forEach((buf, i) => expect(buf.equals(bytesOf(a)[i])).toBe(true))
      const c = new Trainer({ ...config, seed: 8 }, mnist)
      c.step()
      expect(c.lastLoss).not.toBe(la[0])
    }
  })

  it('drives the loss down and accuracy up within 300 steps', () => {
    const t = new Trainer({ ...BOOK_TRAINING, seed: 3 }, mnist)
    const first = t.step()
    expect(first).toBeCloseTo(Math.log(10), 1)
    let recent = 0
    for (let i = 1; i < 300; i++) { const l = t.step(); if (i >= 250) recent += l / 50 }
    expect(recent).toBeLessThan(0.6)
    expect(t.accuracy(mnist.test, 2000)).toBeGreaterThan(0.8)
  })

  it('evaluates at iteration 0 and every evalEvery iterations, as the book does', () => {
    const t = new Trainer({ ...BOOK_TRAINING, evalEvery: 5 }, mnist)
    const due: number[] = []
    for (let i = 0; i < 12; i++) { t.step(); if (t.evalDue()) due.push(t.iterations - 1) }
    expect(due).toEqual([0, 5, 10])
  })

  it('resumes a run bit for bit from its parameters, PRNG state and iteration count', () => {
    const whole = new Trainer(BOOK_TRAINING, mnist)
    for (let i = 0; i < 20; i++) whole.step()
    const first = new Trainer(BOOK_TRAINING, mnist)
    for (let i = 0; i < 10; i++) first.step()
    const rest = new Trainer(BOOK_TRAINING, mnist, { params: first.net.exportParams(), rngState: first.rng.getState(), iterations: 10 })
    for (let i = 0; i < 10; i++) rest.step()
    expect(rest.iterations).toBe(20)
    expect(rest.lastLoss).toBe(whole.lastLoss)
    bytesOf(rest).forEach((buf, i) => expect(buf.equals(bytesOf(whole)[i])).toBe(true))
  })

  it('gives the same losses, weights and accuracy on the reference engine as on the fast one', () => {
    const config: TrainConfig = { ...BOOK_TRAINING, seed: 11 }
    const fast = new Trainer(config, mnist)
    const reference = new Trainer(config, mnist, undefined, { engine: 'reference' })
    expect(reference.net.affines.every((a) => a instanceof Affine)).toBe(true)
    const lf: number[] = [], lr: number[] = []
    for (let i = 0; i < 15; i++) { lf.push(fast.step()); lr.push(reference.step()) }
    // the fast layers only skip products with a 0 factor, which add nothing: not even the rounding differs
    expect(lr).toEqual(lf)
    bytesOf(reference).forEach((buf, i) => expect(buf.equals(bytesOf(fast)[i])).toBe(true))
    expect(reference.accuracy(mnist.test, 1500)).toBe(fast.accuracy(mnist.test, 1500))
  })

  it('continues from saved parameters, PRNG state and iteration count', () => {
    const a = new Trainer(BOOK_TRAINING, mnist)
    for (let i = 0; i < 10; i++) a.step()
    const b = new Trainer({ ...BOOK_TRAINING, seed: 99 }, mnist, { params: a.net.exportParams(), rngState: a.rng.getState(), iterations: a.iterations })
    expect(b.iterations).toBe(10)
    bytesOf(b).forEach((buf, i) => expect(buf.equals(bytesOf(a)[i])).toBe(true))
    expect(b.rng.getState()).toEqual(a.rng.getState())
  })
})

describe('gradient check on MNIST (the book\'s setup: 3 images, 784-50-10)', () => {
  it('agrees with backprop to mean |Δ| ≤ 1e-6 on every parameter, for any seed', () => {
    const x = zeros(3, 784), t = new Int32Array(3)
    fillBatch(mnist.train, null, 0, x, t)
    for (let seed = 0; seed < 12; seed++) {
      const net = new MultiLayerNet(BOOK_NETWORK, new Random(seed))
      for (const r of gradientCheck(net, x, t)) {
        expect(r.meanAbs, `seed ${seed} ${r.name}`).toBeLessThanOrEqual(1e-6)
        expect(r.count + r.kinks).toBe(r.shape.reduce((a, b) => a * b, 1))
      }
    }
  })

  it('agrees after training too, when gradients are no longer tiny', () => {
    const trainer = new Trainer({ ...BOOK_TRAINING, seed: 5 }, mnist)
    for (let i = 0; i < 200; i++) trainer.step()
    const x = zeros(3, 784), t = new Int32Array(3)
    fillBatch(mnist.train, null, 0, x, t)
    for (const r of gradientCheck(trainer.net, x, t)) {
      expect(r.meanAbs, r.name).toBeLessThanOrEqual(1e-6)
    }
  })
})
