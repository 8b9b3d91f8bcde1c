// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import OptimizerPlayground from '../../../renderer/src/components/OptimizerPlayground.vue'
import { createFakeApi } from '../fake-api'
import { mountWithStudio } from '../mount-studio'

let dispose: (() => void) | null = null
afterEach(() => { dispose?.(); dispose = null })

// the chart needs a real canvas: the e2e run draws it; here the stub shows which paths it gets
function mountPlayground() {
  const m = mountWithStudio(OptimizerPlayground, createFakeApi(), { global: { stubs: { OptimizerPathChart: true } } })
  dispose = m.dispose
  return m.wrapper
}

describe('OptimizerPlayground', () => {
  it('names its book section and starts from the book\'s figure: four optimisers, 30 steps', () => {
    const w = mountPlayground()
    expect(w.get('[data-testid="optim-playground"]').text()).toContain('6.1 Optimisers: SGD, Momentum, AdaGrad, Adam')
    expect((w.get('[data-testid="optim-steps"]').element as HTMLInputElement).value).toBe('30')
    expect((w.get('[data-testid="optim-lr-sgd"]').element as HTMLInputElement).value).toBe('0.95')
    const chart = w.getComponent({ name: 'OptimizerPathChart' })
    expect((chart.props('paths') as { kind: string }[]).map((p) => p.kind)).toEqual(['sgd', 'momentum', 'adagrad', 'adam'])
    // SGD at 0.95 after 30 steps: x = −7·0.905³⁰, y = 2·(−0.9)³⁰
    const f = (-7 * 0.905 ** 30) ** 2 / 20 + (2 * 0.9 ** 30) ** 2
    expect(Number(w.get('[data-testid="optim-final-sgd"]').text())).toBeCloseTo(f, 3)
    expect(w.get('[data-testid="optim-final-nesterov"]').text()).toBe('—')
  })

  it('recomputes the paths when steps, a learning rate or the shown optimisers change', async () => {
    const w = mountPlayground()
    const chart = () => w.getComponent({ name: 'OptimizerPathChart' }).props('paths') as { kind: string; path: { x: number[] } }[]
    await w.get('[data-testid="optim-steps"]').setValue('5')
    expect(chart()[0].path.x).toHaveLength(6)
    const before = w.get('[data-testid="optim-final-sgd"]').text()
    await w.get('[data-testid="optim-lr-sgd"]').setValue('0.1')
    expect(w.get('[data-testid="optim-final-sgd"]').text()).not.toBe(before)
    await w.get('[data-testid="optim-show-nesterov"]').setValue(true)
    await w.get('[data-testid="optim-show-adam"]').setValue(false)
    expect(chart().map((p) => p.kind)).toEqual(['sgd', 'momentum', 'nesterov', 'adagrad'])
  })

  it('marks an invalid value and leaves that optimiser out, then the book\'s figure restores all', async () => {
    const w = mountPlayground()
    const chart = () => (w.getComponent({ name: 'OptimizerPathChart' }).props('paths') as { kind: string }[]).map((p) => p.kind)
    await w.get('[data-testid="optim-lr-momentum"]').setValue('-1')
    expect(w.get('[data-testid="optim-lr-momentum"]').attributes('aria-invalid')).toBe('true')
    expect(chart()).toEqual(['sgd', 'adagrad', 'adam'])
    await w.get('[data-testid="optim-steps"]').setValue('0')
    expect(w.get('[data-testid="optim-steps"]').attributes('aria-invalid')).toBe('true')
    await w.get('[data-testid="optim-reset"]').trigger('click')
    await nextTick()
    expect(chart()).toEqual(['sgd', 'momentum', 'adagrad', 'adam'])
    expect(w.get('[data-testid="optim-steps"]').attributes('aria-invalid')).toBe('false')
  })
})
