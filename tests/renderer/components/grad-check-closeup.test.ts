// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import GradCheckView from '../../../renderer/src/components/GradCheckView.vue'
import type { GradCheckResult } from '../../../shared/ipc'
import { createFakeApi, settle } from '../fake-api'
import { mountWithStudio } from '../mount-studio'

let cleanup = () => undefined as void
afterEach(() => cleanup())

const el = (index: number, analytic: number, numeric: number) => ({ index, analytic, numeric, absDiff: Math.abs(analytic - numeric), relError: Math.abs(analytic - numeric) / Math.max(Math.abs(analytic), Math.abs(numeric)) })

/** The tiny dataset's 2×2 images into 5 hidden units, then 3 classes; b2's |Δ| left out as over the limit. */
function result(bug?: 'db-not-summed'): GradCheckResult {
  const w1 = new Float64Array(20).fill(1e-12)
  w1[3] = Number.NaN
  return {
    seconds: 0.2,
    image: [2, 2],
    ...(bug ? { bug } : {}),
    params: [
      { name: 'W1', shape: [4, 5], count: 19, kinks: 1, meanAbs: 1e-12, maxAbs: 1e-12, maxRel: 1e-9, absDiff: w1, worst: [el(7, 0.5, 0.5 + 1e-12)], kinkElements: [el(3, 0.2, 0.7)] },
      { name: 'b1', shape: [5], count: 5, kinks: 0, meanAbs: 0.02, maxAbs: 0.05, maxRel: 0.9, absDiff: new Float64Array(5).fill(0.02), worst: [el(2, 0.06, 0.01), el(4, 0.03, 0.01)], kinkElements: [] },
      { name: 'W2', shape: [5, 3], count: 15, kinks: 0, meanAbs: 1e-12, maxAbs: 1e-12, maxRel: 1e-9, absDiff: new Float64Array(15), worst: [], kinkElements: [] },
      { name: 'b2', shape: [3], count: 3, kinks: 0, meanAbs: 0.1, maxAbs: 0.3, maxRel: 1.2, worst: [el(1, 0.4, 0.1)], kinkElements: [] },
    ],
  }
}

describe('GradCheckView up close', () => {
  it('"Break it" offers none and the four bugs, and choosing one runs the check with it', async () => {
    const fake = createFakeApi({ gradientCheck: async (req) => result(req.bug === 'db-not-summed' ? req.bug : undefined) })
    const { wrapper, studio, dispose } = mountWithStudio(GradCheckView, fake)
    cleanup = dispose
    await studio.dataset.load()
    await settle()
    const select = wrapper.get('[data-testid="gradcheck-break"]')
    expect(select.findAll('option').map((o) => o.attributes('value'))).toEqual(['none', 'softmax-no-1-over-n', 'relu-no-mask', 'db-not-summed', 'dx-no-transpose'])
    await select.setValue('db-not-summed')
    await settle()
    const calls = fake.calls.filter((c) => c.method === 'gradientCheck')
    expect(calls).toHaveLength(1)
    expect(calls[0].req).toMatchObject({ bug: 'db-not-summed', samples: 3 })
    expect(wrapper.get('[data-testid="gradcheck-result"]').attributes('data-bug')).toBe('db-not-summed')
    expect(wrapper.get('[data-testid="gradcheck-bug"]').text()).toContain('db = np.sum(dout, axis=0)')
    expect(wrapper.get('[data-testid="gradcheck-overall"]').text()).toBe('fail')

    await select.setValue('none')
    await settle()
    expect(fake.calls.filter((c) => c.method === 'gradientCheck').at(-1)?.req).not.toHaveProperty('bug')
    expect(wrapper.get('[data-testid="gradcheck-result"]').attributes('data-bug')).toBe('none')
    expect(wrapper.find('[data-testid="gradcheck-bug"]').exists()).toBe(false)
  })

  it('draws a heatmap per tensor, W1 as image tiles, and lists the worst elements and the kinks', async () => {
    const fake = createFakeApi({ gradientCheck: async () => result() })
    const { wrapper, studio, dispose } = mountWithStudio(GradCheckView, fake)
    cleanup = dispose
    await studio.dataset.load()
    await settle()
    await wrapper.get('[data-testid="gradcheck-run"]').trigger('click')
    await settle()
    const maps = wrapper.findAll('[data-testid="gradcheck-heatmap"] figure')
    expect(maps.map((m) => [m.attributes('data-param'), m.attributes('data-tiled'), m.find('canvas').exists()])).toEqual([
      ['W1', 'true', true], ['b1', 'false', true], ['W2', 'false', true], ['b2', 'false', false],
    ])
    // W1 (4 × 5) as five 2×2 tiles, four to a row: 4·3 − 1 by 2·3 − 1 canvas pixels
    const w1 = maps[0].get('canvas')
    expect([w1.attributes('width'), w1.attributes('height')]).toEqual(['11', '5'])
    expect(maps[3].text()).toContain('not sent')

    const rows = wrapper.findAll('[data-testid="gradcheck-worst"] tbody tr[data-param]')
    expect(rows.map((r) => [r.attributes('data-param'), r.attributes('data-index'), r.attributes('data-kink')])).toEqual([
      ['b2', '1', 'false'], ['b1', '2', 'false'], ['b1', '4', 'false'], ['W1', '7', 'false'], ['W1', '3', 'true'],
    ])
    expect(rows[3].text()).toContain('W1[1, 2]')
    expect(rows[3].text()).toContain('unit 2, pixel (0, 1)')
    expect(rows[4].text()).toContain('kink')
    expect(rows[0].text()).toContain('0.4')
    expect(rows[0].text()).toContain('0.1')
  })
})
