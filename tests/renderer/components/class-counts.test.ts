// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import DatasetView from '../../../renderer/src/components/DatasetView.vue'
import type { DatasetInfo } from '../../../shared/ipc'
import { createFakeApi, settle, TINY_DATASET } from '../fake-api'
import { mountWithStudio } from '../mount-studio'

let cleanup = () => undefined as void
afterEach(() => cleanup())

/** Digits 0–2 and one stray label 6: classes 3–5 have no training image. */
const GAPPY: DatasetInfo = {
  ...TINY_DATASET, name: 'Gappy', classes: 7,
  trainClassCounts: [300, 400, 299, 0, 0, 0, 1], testClassCounts: [2, 2, 1, 0, 0, 0, 1], emptyClasses: [3, 4, 5],
}

describe('DatasetView class counts', () => {
  it('shows the images per class of each split, and no notice when every class has images', async () => {
    const { wrapper, studio, dispose } = mountWithStudio(DatasetView, createFakeApi())
    cleanup = dispose
    await studio.dataset.load()
    await settle()
    expect(wrapper.findAll('[data-testid="class-train"]').map((c) => c.text())).toEqual(['334', '333', '333'])
    expect(wrapper.findAll('[data-testid="class-test"]').map((c) => c.text())).toEqual(['2', '2', '2'])
    expect(wrapper.find('[data-testid="dataset-warning"]').exists()).toBe(false)
  })

  it('names the empty classes in a notice and marks them in the table', async () => {
    const { wrapper, studio, dispose } = mountWithStudio(DatasetView, createFakeApi({ getDataset: async () => GAPPY }))
    cleanup = dispose
    await studio.dataset.load()
    await settle()
    expect(wrapper.get('[data-testid="dataset-warning"]').text()).toMatch(/3 classes have no training images \(3–5\): there are 7 classes because the largest training label is 6/)
    const train = wrapper.findAll('[data-testid="class-train"]')
    expect(train.map((c) => c.classes('empty'))).toEqual([false, false, false, true, true, true, false])
  })

  it('also raises the warning as a toast when a folder with empty classes is opened', async () => {
    const fake = createFakeApi({ openDataset: async () => GAPPY })
    const { wrapper, studio, dispose } = mountWithStudio(DatasetView, fake)
    cleanup = dispose
    await studio.dataset.load()
    await settle()
    expect(studio.notifier.toasts.value).toHaveLength(0)
    await studio.dataset.open('/data/gappy')
    await settle()
    expect(studio.notifier.toasts.value.map((t) => [t.kind, t.title])).toEqual([['info', 'Empty classes']])
    expect(studio.notifier.toasts.value[0].message).toContain('(3–5)')
    expect(wrapper.find('[data-testid="dataset-warning"]').exists()).toBe(true)
  })
})
