import { beforeAll, describe, expect, it } from 'vitest'
import { loadDefaultDataset } from '../../../electron/services/dataset-loader'
import type { Dataset } from '../../../shared/data/dataset'
import { fillBatch } from '../../../shared/data/fill-batch'
import { confusion } from '../../../shared/engine/confusion'
import { zeros } from '../../../shared/engine/matrix'
import { BOOK_TRAINING } from '../../../shared/engine/train-config'
import { Trainer } from '../../../shared/engine/trainer'

let mnist: Dataset
let trainer: Trainer
beforeAll(async () => {
  mnist = await loadDefaultDataset()
  trainer = new Trainer({ ...BOOK_TRAINING, seed: 5 }, mnist)
  for (let i = 0; i < 150; i++) trainer.step()
})

describe('confusion', () => {
  it('counts every test image once, and its diagonal is the accuracy an evaluation pass finds', () => {
    const c = confusion(trainer.net, mnist.test)!
    expect(c.classes).toBe(10)
    expect(c.total).toBe(mnist.test.count)
    expect(c.counts.reduce((a, b) => a + b, 0)).toBe(mnist.test.count)
    let diagonal = 0
    for (let k = 0; k < 10; k++) diagonal += c.counts[k * 10 + k]
    expect(diagonal).toBe(c.correct)
    expect(c.correct / c.total).toBe(trainer.accuracy(mnist.test, 0))
    // each row holds the images of its label
    for (let t = 0; t < 10; t++) {
      const row = c.counts.subarray(t * 10, t * 10 + 10).reduce((a, b) => a + b, 0)
      expect(row).toBe(mnist.test.labels.filter((l) => l === t).length)
    }
    expect(Array.from(c.labels)).toEqual(Array.from(mnist.test.labels))
  })

  it('gives each image its predicted class and that class\'s softmax probability', () => {
    const c = confusion(trainer.net, mnist.test)!
    const idx = Int32Array.from([0, 1, 2, 3, 9999])
    const x = zeros(idx.length, 784), t = new Int32Array(idx.length)
    fillBatch(mnist.test, idx, 0, x, t)
    trainer.net.loss(x, t)
    const y = trainer.net.lastLayer.y!
    idx.forEach((i, r) => {
      const probs = Array.from(y.data.subarray(r * 10, r * 10 + 10))
      const p = probs.indexOf(Math.max(...probs))
      expect(c.predicted[i]).toBe(p)
      expect(c.confidence[i]).toBeCloseTo(probs[p], 6)
    })
  })

  it('returns null when asked to stop', () => {
    expect(confusion(trainer.net, mnist.test, () => true)).toBeNull()
  })
})
