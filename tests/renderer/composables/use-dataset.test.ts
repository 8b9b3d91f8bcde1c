import { describe, expect, it } from 'vitest'
import { effectScope } from 'vue'
import { useDataset } from '../../../renderer/src/composables/use-dataset'
import { useNotifier } from '../../../renderer/src/composables/use-notifier'
import { createFakeApi, settle, TINY_DATASET } from '../fake-api'

function setup(fake: ReturnType<typeof createFakeApi>, asked: string | null | undefined) {
  const scope = effectScope()
  return scope.run(() => {
    const notifier = useNotifier()
    return { notifier, dataset: useDataset(fake.api, notifier, async () => asked) }
  })!
}

describe('useDataset', () => {
  it('loads the current dataset and its first page of samples', async () => {
    const fake = createFakeApi()
    const { dataset } = setup(fake, '/typed/path')
    await dataset.load()
    await settle()
    expect(dataset.info.value).toEqual(TINY_DATASET)
    expect(dataset.shape.value).toEqual({ inputSize: 4, classes: 3, trainCount: 1000 })
    expect(dataset.samples.value?.indices).toEqual(Array.from({ length: 40 }, (_, i) => i))
  })

  it('keeps the previous dataset when a folder fails to load', async () => {
    const fake = createFakeApi({
      openDataset: async () => { const e = new Error('/bad: missing train-images-idx3-ubyte (or train-images-idx3-ubyte.gz)'); e.name = 'DatasetFolderError'; throw e },
    })
    const { dataset, notifier } = setup(fake, '/bad')
    await dataset.load()
    await dataset.open()
    expect(dataset.info.value).toEqual(TINY_DATASET)
    expect(dataset.error.value).toEqual({ name: 'DatasetFolderError', message: '/bad: missing train-images-idx3-ubyte (or train-images-idx3-ubyte.gz)' })
    expect(notifier.toasts.value[0].title).toBe('DatasetFolderError')
  })

  it('opens the typed path in web mode and null (native dialog) when asked so', async () => {
    const fake = createFakeApi()
    const web = setup(fake, '/typed/path')
    await web.dataset.open()
    const native = setup(fake, null)
    await native.dataset.open()
    expect(fake.calls.filter((c) => c.method === 'openDataset').map((c) => c.req)).toEqual([{ path: '/typed/path' }, { path: null }])
    expect(web.dataset.info.value?.name).toBe('Other')
  })

  it('does nothing when the path prompt is cancelled', async () => {
    const fake = createFakeApi()
    const { dataset } = setup(fake, undefined)
    await dataset.open()
    expect(fake.calls.some((c) => c.method === 'openDataset')).toBe(false)
  })
})
