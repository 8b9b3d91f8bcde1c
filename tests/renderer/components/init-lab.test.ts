// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import InitLab from '../../../renderer/src/components/InitLab.vue'
import { createFakeApi, settle } from '../fake-api'
import { mountWithStudio } from '../mount-studio'

let dispose: (() => void) | null = null
afterEach(() => { dispose?.(); dispose = null })

async function mountLab() {
  // the histograms need a real canvas: the e2e run draws them; here the stub shows what they get
  const m = mountWithStudio(InitLab, createFakeApi(), { global: { stubs: { ActivationHistogram: true } } })
  dispose = m.dispose
  await settle()
  return m.wrapper
}

const counts = (w: Awaited<ReturnType<typeof mountLab>>, layer: number) =>
  w.get(`[data-testid="init-lab-layer-${layer}"]`).attributes('data-counts')!.split(' ').map(Number)

describe('InitLab', () => {
  it('names its book section and shows five layers for std 1 and sigmoid, piled at 0 and 1', async () => {
    const w = await mountLab()
    expect(w.text()).toContain('6.2 Initial weights: activation distributions')
    expect(w.get('[data-testid="init-lab"]').attributes('data-shown')).toBe('std-1/sigmoid/1')
    for (let i = 1; i <= 5; i++) {
      const c = counts(w, i)
      expect(c).toHaveLength(30)
      expect((c[0] + c[29]) / 100_000).toBeGreaterThan(0.5)
    }
    expect(w.findAllComponents({ name: 'ActivationHistogram' })).toHaveLength(5)
  })

  it('switches init and activation: std 0.01 collapses near 0.5, He with ReLU leaves its zeros out of the bars', async () => {
    const w = await mountLab()
    await w.get('[data-testid="init-lab-init"]').setValue('std-0.01')
    await settle()
    expect(w.get('[data-testid="init-lab"]').attributes('data-shown')).toBe('std-0.01/sigmoid/1')
    expect(counts(w, 5).slice(13, 17).reduce((a, b) => a + b)).toBe(100_000)
    expect(w.get('[data-testid="init-lab-stats-5"]').text()).toMatch(/^mean 0\.5\d* · std 0\.01/)

    await w.get('[data-testid="init-lab-init"]').setValue('he')
    await w.get('[data-testid="init-lab-activation"]').setValue('relu')
    await settle()
    expect(w.get('[data-testid="init-lab"]').attributes('data-shown')).toBe('he/relu/1')
    const layer = w.get('[data-testid="init-lab-layer-1"]')
    expect(layer.text()).toMatch(/not drawn: zeros \d+ %, > 1 \d+ %/)
    const bars = w.findAllComponents({ name: 'ActivationHistogram' })[0].props('counts') as number[]
    expect(bars[0]).toBeLessThan(counts(w, 1)[0] / 10)
    expect(bars.slice(1)).toEqual(counts(w, 1).slice(1))
  })

  it('changes the sample with the seed and ignores a seed that is not a whole number', async () => {
    const w = await mountLab()
    const first = counts(w, 1)
    await w.get('[data-testid="init-lab-seed"]').setValue('2')
    await settle()
    expect(counts(w, 1)).not.toEqual(first)
    await w.get('[data-testid="init-lab-seed"]').setValue('2.5')
    await settle()
    expect(w.get('[data-testid="init-lab-seed"]').attributes('aria-invalid')).toBe('true')
    expect(w.get('[data-testid="init-lab"]').attributes('data-shown')).toBe('std-1/sigmoid/2')
  })
})
