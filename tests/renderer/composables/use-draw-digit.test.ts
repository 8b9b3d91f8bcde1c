import { describe, expect, it } from 'vitest'
import { effectScope, nextTick, shallowRef } from 'vue'
import { MNIST_PIXELS } from '../../../shared/data/mnist-preprocess'
import type { ImageClassification, ModelInfo } from '../../../shared/ipc'
import { useDrawDigit } from '../../../renderer/src/composables/use-draw-digit'
import { createFakeApi, settle, tinyModel } from '../fake-api'

const PAD = 56
/** A pad with a vertical bar from column x0 to x1, rows 8 to 48. */
function bar(x0: number, x1: number): Float32Array {
  const ink = new Float32Array(PAD * PAD)
  for (let y = 8; y < 48; y++) for (let x = x0; x < x1; x++) ink[y * PAD + x] = 1
  return ink
}
const MNIST_MODEL = tinyModel({ network: { ...tinyModel().network, inputSize: 784 } })

/** predictImage answers only when the test releases it, so requests can be counted while one is in flight. */
function gatedApi() {
  const gates: (() => void)[] = []
  const fake = createFakeApi({
    predictImage: (req) => new Promise<ImageClassification>((resolve) => {
      gates.push(() => resolve({ probabilities: [1], predicted: req.pixels.reduce((a, b) => a + b, 0), hidden: [] }))
    }),
  })
  return { fake, release: async () => { gates.shift()?.(); await settle() } }
}

function setup(fake: ReturnType<typeof createFakeApi>, model: ModelInfo | null = MNIST_MODEL) {
  const m = shallowRef<ModelInfo | null>(model)
  const d = effectScope().run(() => useDrawDigit(fake.api, m))!
  return { d, m }
}

const requests = (fake: ReturnType<typeof createFakeApi>) => fake.calls.filter((c) => c.method === 'predictImage').map((c) => c.req as { pixels: number[] })

describe('useDrawDigit', () => {
  it('sends the preprocessed 28×28 bytes and shows what comes back', async () => {
    const fake = createFakeApi()
    const { d } = setup(fake)
    d.draw(bar(20, 26), PAD, PAD)
    expect(d.pixels.value).toHaveLength(MNIST_PIXELS)
    await settle()
    const [req] = requests(fake)
    expect(req.pixels).toEqual(Array.from(d.pixels.value!))
    expect(d.result.value?.probabilities).toHaveLength(3)
    expect(d.result.value?.hidden).toHaveLength(1)
  })

  it('keeps one request in flight: of the drawings made meanwhile only the latest goes next', async () => {
    const { fake, release } = gatedApi()
    const { d } = setup(fake)
    d.draw(bar(20, 22), PAD, PAD)
    d.draw(bar(20, 24), PAD, PAD)
    d.draw(bar(20, 26), PAD, PAD)
    d.draw(bar(20, 28), PAD, PAD)
    await settle()
    expect(requests(fake)).toHaveLength(1)
    expect(d.busy.value).toBe(true)
    await release()
    expect(requests(fake)).toHaveLength(2)
    const latest = Array.from(d.pixels.value!)
    expect(requests(fake)[1].pixels).toEqual(latest)
    await release()
    expect(requests(fake)).toHaveLength(2)
    expect(d.busy.value).toBe(false)
    expect(d.result.value?.predicted).toBe(latest.reduce((a, b) => a + b, 0))
  })

  it('drops the answer to a drawing cleared meanwhile', async () => {
    const { fake, release } = gatedApi()
    const { d } = setup(fake)
    d.draw(bar(20, 26), PAD, PAD)
    await settle()
    d.clear()
    await release()
    expect(d.result.value).toBeNull()
    expect(d.pixels.value).toBeNull()
  })

  it('asks nothing without a model, or of one whose input is not 784 pixels, and says why', async () => {
    const fake = createFakeApi()
    const { d, m } = setup(fake, null)
    expect(d.unusable.value).toMatch(/Train or open a model/)
    d.draw(bar(20, 26), PAD, PAD)
    m.value = tinyModel()
    await nextTick()
    expect(d.unusable.value).toMatch(/784 pixels; this model takes 4 inputs/)
    await settle()
    expect(requests(fake)).toHaveLength(0)
    // a model that can read it reads the drawing already on the pad
    m.value = MNIST_MODEL
    await settle()
    expect(requests(fake)).toHaveLength(1)
    expect(d.result.value).not.toBeNull()
  })

  it('shows the error of a failed request, and an empty pad clears the answer', async () => {
    const fake = createFakeApi({ predictImage: async () => { throw Object.assign(new Error('no model'), { name: 'NoModelError' }) } })
    const { d } = setup(fake)
    d.draw(bar(20, 26), PAD, PAD)
    await settle()
    expect(d.error.value).toEqual({ name: 'NoModelError', message: 'no model' })
    d.draw(new Float32Array(PAD * PAD), PAD, PAD)
    expect(d.pixels.value).toBeNull()
    expect(d.result.value).toBeNull()
  })
})
