// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import GradCheckView from '../../../renderer/src/components/GradCheckView.vue'
import { createFakeApi, settle } from '../fake-api'
import { mountWithStudio } from '../mount-studio'

let cleanup = () => undefined as void
afterEach(() => cleanup())

describe('GradCheckView', () => {
  it('shows progress while running and one row with a badge per parameter', async () => {
    let finish: () => void = () => undefined
    const fake = createFakeApi({
      gradientCheck: () => new Promise((resolve) => {
        finish = () => resolve({
          seconds: 0.3,
          params: [
            { name: 'W1', shape: [4, 5], count: 20, kinks: 0, meanAbs: 2.7e-13, maxAbs: 5e-12, maxRel: 7e-7 },
            { name: 'b1', shape: [5], count: 5, kinks: 1, meanAbs: 3e-5, maxAbs: 1e-4, maxRel: 1e-2 },
            { name: 'W2', shape: [5, 3], count: 15, kinks: 0, meanAbs: 0.02, maxAbs: 0.1, maxRel: 0.9 },
          ],
        })
      }),
    })
    const { wrapper, studio, dispose } = mountWithStudio(GradCheckView, fake)
    cleanup = dispose
    await studio.dataset.load()
    await settle()
    await wrapper.get('[data-testid="gradcheck-run"]').trigger('click')
    fake.emit({ type: 'gradcheck-progress', jobId: 'g', done: 10, total: 40 })
    await settle()
    expect(wrapper.get('[data-testid="gradcheck-progress"] span').attributes('style')).toContain('width: 25%')
    expect(wrapper.get('[data-testid="gradcheck-run"]').attributes('disabled')).toBeDefined()
    expect(fake.calls.find((c) => c.method === 'gradientCheck')?.req).toMatchObject({ seed: 1, samples: 3, useCurrentModel: false, network: { inputSize: 4, outputSize: 3 } })

    finish()
    await settle()
    const rows = wrapper.findAll('[data-testid="gradcheck-table"] tbody[data-param]')
    expect(rows.map((r) => [r.attributes('data-param'), r.attributes('data-verdict')])).toEqual([['W1', 'pass'], ['b1', 'warn'], ['W2', 'fail']])
    expect(rows[0].get('.badge').text()).toBe('pass')
    expect(rows[1].text()).toContain('1 element skipped')
    expect(wrapper.get('[data-testid="gradcheck-overall"]').text()).toBe('fail')
  })
})
