// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { mount, type VueWrapper } from '@vue/test-utils'
import { nextTick } from 'vue'
import GraphView from '../../../renderer/src/components/GraphView.vue'

let wrapper: VueWrapper | null = null
afterEach(() => { wrapper?.unmount(); wrapper = null })

const text = (id: string) => wrapper!.get(`[data-testid="${id}"]`).text()
const click = async (id: string, times = 1) => {
  for (let i = 0; i < times; i++) await wrapper!.get(`[data-testid="${id}"]`).trigger('click')
}

async function open(example: string) {
  wrapper = mount(GraphView, { attachTo: document.body })
  await wrapper.get('[data-testid="graph-example"]').setValue(example)
  await nextTick()
}

describe('GraphView', () => {
  it('steps the apple graph forward node by node, then backward edge by edge, to the book\'s numbers', async () => {
    await open('apple')
    expect(text('graph-node-apple')).toBe('100')
    expect(text('graph-node-price')).toBe('?')
    expect(wrapper!.get('[data-testid="graph-step-backward"]').attributes('disabled')).toBeDefined()
    await click('graph-step-forward')
    expect(text('graph-node-apple_price')).toBe('200')
    expect(text('graph-node-price')).toBe('?')
    await click('graph-step-forward')
    expect(text('graph-node-price')).toBe('220')
    expect(wrapper!.get('[data-testid="graph-step-forward"]').attributes('disabled')).toBeDefined()
    await click('graph-step-backward')
    expect(text('graph-grad-apple_price')).toBe('1.1')
    expect(text('graph-grad-apple')).toBe('')
    expect(text('graph-step-current')).toContain('upstream × local = 1 × 1.1 = 1.1')
    await click('graph-step-backward', 3)
    expect([text('graph-grad-apple'), text('graph-grad-apple_num'), text('graph-grad-tax')]).toEqual(['2.2', '110', '200'])
    expect(wrapper!.findAll('[data-testid="graph-check"]').map((r) => r.attributes('data-agree'))).toEqual(['true', 'true', 'true'])
  })

  it('recomputes at once when an input is edited, and Reset starts over', async () => {
    await open('mul-node')
    await click('graph-step-forward')
    await click('graph-step-backward', 2)
    expect([text('graph-node-out'), text('graph-grad-x'), text('graph-grad-y')]).toEqual(['50', '6.5', '13'])
    await wrapper!.get('[data-testid="graph-input-dout"]').setValue('2')
    expect([text('graph-grad-x'), text('graph-grad-y')]).toEqual(['10', '20'])
    await wrapper!.get('[data-testid="graph-input-x"]').setValue('3')
    expect([text('graph-node-out'), text('graph-grad-y')]).toEqual(['15', '6'])
    await click('graph-reset')
    expect(text('graph-node-out')).toBe('?')
    expect(text('graph-grad-x')).toBe('')
  })

  it('shows the batch gradients as matrices, one row per line', async () => {
    await open('affine-batch')
    await click('graph-step-forward', 2)
    await click('graph-step-backward', 4)
    expect(text('graph-grad-W').split('\n')).toHaveLength(3)
    expect(text('graph-grad-b').split(' ')).toHaveLength(2)
    expect(text('graph-grad-x').split('\n').map((r) => r.split(' ').length)).toEqual([3, 3])
    await wrapper!.get('[data-testid="graph-input-x-0-0"]').setValue('0')
    await wrapper!.get('[data-testid="graph-input-x-1-0"]').setValue('0')
    // with the first column of x at 0 the first row of dW = xᵀ·dout is 0
    expect(text('graph-grad-W').split('\n')[0]).toBe('0 0')
  })
})
