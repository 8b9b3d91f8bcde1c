import { describe, expect, it } from 'vitest'
import { classifyImage } from '../../../shared/engine/classify-image'
import { fromArray } from '../../../shared/engine/matrix'
import { MultiLayerNet } from '../../../shared/engine/multi-layer-net'
import type { NetworkConfig } from '../../../shared/engine/network-config'
import { Random } from '../../../shared/engine/random'

const CONFIG: NetworkConfig = { inputSize: 6, hiddenSizes: [4, 3], outputSize: 5, activation: 'relu', weightInit: { kind: 'std', std: 1 } }
const PIXELS = [0, 255, 128, 3, 77, 200]

describe('classifyImage', () => {
  it('gives the softmax of the net\'s logits for the bytes scaled by 1/255, and its argmax', () => {
    const net = new MultiLayerNet(CONFIG, new Random(1))
    const r = classifyImage(net, PIXELS)
    const logits = Array.from(net.predict(fromArray(1, 6, PIXELS.map((v) => v / 255))).data)
    const e = logits.map((v) => Math.exp(v))
    const sum = e.reduce((a, b) => a + b, 0)
    r.probabilities.forEach((p, k) => expect(p).toBeCloseTo(e[k] / sum, 14))
    expect(r.predicted).toBe(logits.indexOf(Math.max(...logits)))
  })

  it('gives each hidden layer\'s activations, after its ReLU', () => {
    const net = new MultiLayerNet(CONFIG, new Random(2))
    const r = classifyImage(net, PIXELS)
    expect(r.hidden.map((h) => h.length)).toEqual([4, 3])
    const x = fromArray(1, 6, PIXELS.map((v) => v / 255))
    const h1 = net.layers[1].forward(net.layers[0].forward(x))
    expect(r.hidden[0]).toEqual(Array.from(h1.data))
    const h2 = net.layers[3].forward(net.layers[2].forward(h1))
    expect(r.hidden[1]).toEqual(Array.from(h2.data))
    expect(r.hidden.flat().every((v) => v >= 0)).toBe(true)
  })

  it('refuses an image of the wrong size', () => {
    expect(() => classifyImage(new MultiLayerNet(CONFIG, new Random(3)), [1, 2, 3])).toThrow(/takes 6 pixels, got 3/)
  })
})
