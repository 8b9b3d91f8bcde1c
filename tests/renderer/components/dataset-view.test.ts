// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import DatasetView from '../../../renderer/src/components/DatasetView.vue'
import { createFakeApi, settle } from '../fake-api'
import { mountWithStudio } from '../mount-studio'

let cleanup = () => undefined as void
afterEach(() => cleanup())

describe('DatasetView', () => {
  it('shows the loader error and keeps showing the old dataset and its images', async () => {
    const fake = createFakeApi({
      openDataset: async (req) => { const e = new Error(`${req.path}: missing t10k-labels-idx1-ubyte (or t10k-labels-idx1-ubyte.gz)`); e.name = 'DatasetFolderError'; throw e },
    })
    const { wrapper, studio, dispose } = mountWithStudio(DatasetView, fake)
    cleanup = dispose
    await studio.dataset.load()
    await settle()
    expect(wrapper.findAll('[data-testid="dataset-samples"] figure')).toHaveLength(40)

    await wrapper.get('[data-testid="dataset-open"]').trigger('click')
    await settle()
    studio.prompt.value.value = '/srv/bad'
    studio.prompt.submit()
    await settle()

    expect(wrapper.get('[data-testid="dataset-error"]').text()).toContain('DatasetFolderError/srv/bad: missing t10k-labels-idx1-ubyte')
    expect(wrapper.get('[data-testid="dataset-info"]').attributes('data-name')).toBe('Tiny digits')
    expect(wrapper.findAll('[data-testid="dataset-samples"] figure')).toHaveLength(40)
  })

  it('pages through the samples', async () => {
    const fake = createFakeApi()
    const { wrapper, studio, dispose } = mountWithStudio(DatasetView, fake)
    cleanup = dispose
    await studio.dataset.load()
    await settle()
    const test = wrapper.findAll('button').find((b) => b.text() === 'Test')
    await test?.trigger('click')
    await settle()
    expect(fake.calls.filter((c) => c.method === 'datasetSamples').at(-1)?.req).toEqual({ split: 'test', start: 0, count: 6 })
    expect(wrapper.findAll('[data-testid="dataset-samples"] figcaption').map((f) => f.text())[1]).toBe('1#1')
  })
})
