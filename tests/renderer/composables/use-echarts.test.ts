// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, nextTick, ref, shallowRef } from 'vue'
import { mount } from '@vue/test-utils'

/** What the fake ECharts instances were asked to do. */
const calls = vi.hoisted(() => ({ setOption: [] as { at: number, option: unknown, notMerge: boolean }[], disposed: 0, sleepAfterStill: -1 }))

vi.mock('echarts/core', async (importOriginal) => {
  const real = await importOriginal<typeof import('echarts/core')>()
  return {
    ...real,
    init: () => ({
      setOption: (option: unknown, opts: { notMerge: boolean }) => { calls.setOption.push({ at: Date.now(), option, notMerge: opts.notMerge }) },
      getZr: () => ({ flush: () => {}, setSleepAfterStill: (frames: number) => { calls.sleepAfterStill = frames } }),
      resize: () => {},
      dispose: () => { calls.disposed++ },
    }),
  }
})

const { useECharts } = await import('../../../renderer/src/composables/use-echarts')
type Option = Parameters<typeof useECharts>[1]['value']

afterEach(() => {
  vi.useRealTimers()
  calls.setOption.length = 0
  calls.disposed = 0
  calls.sleepAfterStill = -1
})

function mountChart(warmup?: () => Option) {
  const option = shallowRef<Option>({ series: [] })
  const Chart = defineComponent(() => {
    const el = ref<HTMLElement | null>(null)
    useECharts(el, option, ref('light'), warmup)
    return () => h('div', { ref: el })
  })
  return { wrapper: mount(Chart), option }
}

describe('useECharts', () => {
  it('draws the first option at once, replacing, and later ones merged, at most twice a second', async () => {
    vi.useFakeTimers({ now: 0 })
    const { wrapper, option } = mountChart()
    expect(calls.setOption).toHaveLength(1)
    expect(calls.setOption[0].notMerge).toBe(true)
    // each redraw is flushed in its own task, so zrender's frame loop has nothing left to draw
    expect(calls.sleepAfterStill).toBe(1)
    // a stream of changes every 50 ms for 2 s, as training's progress messages come
    for (let i = 1; i <= 40; i++) {
      option.value = { series: [], id: i } as Option
      await nextTick()
      await vi.advanceTimersByTimeAsync(50)
    }
    await vi.advanceTimersByTimeAsync(1000)
    const draws = calls.setOption.slice(1)
    expect(draws.length).toBeGreaterThanOrEqual(3)
    expect(draws.length).toBeLessThanOrEqual(5)
    expect(draws.every((d) => !d.notMerge)).toBe(true)
    const at = calls.setOption.map((d) => d.at)
    for (let i = 1; i < at.length; i++) expect(at[i] - at[i - 1]).toBeGreaterThanOrEqual(500)
    // the last change is drawn, not dropped
    expect((draws[draws.length - 1].option as { id: number }).id).toBe(40)
    wrapper.unmount()
    expect(calls.disposed).toBe(1)
  })

  it('draws nothing after its scope ends, though a redraw was waiting', async () => {
    vi.useFakeTimers({ now: 0 })
    const { wrapper, option } = mountChart()
    option.value = { series: [], id: 1 } as Option
    await nextTick()
    wrapper.unmount()
    await vi.advanceTimersByTimeAsync(2000)
    expect(calls.setOption).toHaveLength(1)
  })

  it('draws the warm-up option once at creation and replaces it in the same task', async () => {
    vi.useFakeTimers({ now: 0 })
    const warm = { series: [], id: 'warm-up' } as Option
    const { wrapper, option } = mountChart(() => warm)
    // nothing of the warm-up is left for a frame to show: the real option replaces it at once
    expect(calls.setOption.map((d) => [d.option, d.notMerge])).toEqual([[warm, true], [option.value, true]])
    option.value = { series: [], id: 1 } as Option
    await nextTick()
    await vi.advanceTimersByTimeAsync(600)
    expect(calls.setOption).toHaveLength(3)
    expect(calls.setOption[2].notMerge).toBe(false)
    wrapper.unmount()
  })
})
