// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import DrawView from '../../../renderer/src/components/DrawView.vue'
import GraphView from '../../../renderer/src/components/GraphView.vue'
import { createFakeApi, settle, tinyModel } from '../fake-api'
import { mountWithStudio } from '../mount-studio'

let dispose: (() => void) | null = null
afterEach(() => { dispose?.(); dispose = null })

describe('GraphView: the network option', () => {
  it('draws the form\'s network for its batch size and inspects one batch of a fresh net', async () => {
    const fake = createFakeApi()
    const m = mountWithStudio(GraphView, fake, { attachTo: document.body })
    dispose = m.dispose
    await m.studio.init()
    await m.wrapper.get('[data-testid="graph-example"]').setValue('network')
    await settle()
    expect(m.wrapper.get('[data-testid="graph-view"]').attributes('data-example')).toBe('network')
    expect(m.wrapper.find('[data-testid="graph-step-forward"]').exists()).toBe(false)
    const [req] = fake.calls.filter((c) => c.method === 'inspectBatch').map((c) => c.req)
    expect(req).toMatchObject({ batchSize: 100, seed: m.studio.form.config.value!.seed, useCurrentModel: false })
    const view = m.wrapper.get('[data-testid="network-view"]')
    expect(view.attributes('data-source')).toBe('form')
    expect(view.attributes('data-inspected')).toBe('true')
    // the fake inspects a net of the same hidden and output sizes; here the batch matches, the input differs
    expect(m.wrapper.find('[data-testid="network-layer-Affine1"]').exists()).toBe(true)
    expect(m.wrapper.find('[data-testid="network-layer-SoftmaxWithLoss"]').exists()).toBe(true)
  })

  it('inspects the current model when there is one, and again on request', async () => {
    const fake = createFakeApi({ currentModel: async () => tinyModel() })
    const m = mountWithStudio(GraphView, fake, { attachTo: document.body })
    dispose = m.dispose
    await m.studio.init()
    await m.wrapper.get('[data-testid="graph-example"]').setValue('network')
    await settle()
    await m.wrapper.get('[data-testid="network-inspect"]').trigger('click')
    await settle()
    const reqs = fake.calls.filter((c) => c.method === 'inspectBatch').map((c) => c.req)
    expect(reqs).toHaveLength(2)
    expect(reqs[0]).toMatchObject({ useCurrentModel: true, network: tinyModel().network })
    expect(m.wrapper.get('[data-testid="network-view"]').attributes('data-source')).toBe('model')
    await m.wrapper.get('[data-testid="graph-example"]').setValue('apple')
    expect(m.wrapper.find('[data-testid="network-view"]').exists()).toBe(false)
    expect(m.wrapper.find('[data-testid="graph-step-forward"]').exists()).toBe(true)
  })
})

describe('DrawView', () => {
  it('has the pad, the clear button and an empty preview, and says a model is needed', async () => {
    const fake = createFakeApi()
    const m = mountWithStudio(DrawView, fake)
    dispose = m.dispose
    await settle()
    for (const id of ['draw-pad', 'draw-clear', 'draw-preview', 'draw-prediction']) expect(m.wrapper.find(`[data-testid="${id}"]`).exists()).toBe(true)
    expect(m.wrapper.get('[data-testid="draw-preview"]').attributes('data-ink')).toBe('0')
    expect(m.wrapper.get('[data-testid="draw-unusable"]').text()).toMatch(/Train or open a model/)
  })
})
