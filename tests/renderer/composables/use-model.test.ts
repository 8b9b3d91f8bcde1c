import { describe, expect, it } from 'vitest'
import { effectScope } from 'vue'
import { useModel } from '../../../renderer/src/composables/use-model'
import { useNotifier } from '../../../renderer/src/composables/use-notifier'
import { createFakeApi, tinyModel } from '../fake-api'

function setup(fake: ReturnType<typeof createFakeApi>, asked: string | null | undefined) {
  return effectScope().run(() => {
    const notifier = useNotifier()
    return { notifier, model: useModel(fake.api, notifier, async () => asked) }
  })!
}

describe('useModel', () => {
  it('takes the model of a finished run', () => {
    const fake = createFakeApi()
    const { model } = setup(fake, '/tmp/m.json')
    fake.emit({ type: 'train-finished', jobId: 'j', stopped: false, summary: tinyModel().summary, evals: [], seconds: 1, model: tinyModel() })
    expect(model.model.value?.unsaved).toBe(true)
  })

  it('asks for a path the first time it saves, then saves to the same file', async () => {
    const fake = createFakeApi()
    const { model } = setup(fake, '/tmp/m.json')
    fake.emit({ type: 'train-finished', jobId: 'j', stopped: false, summary: tinyModel().summary, evals: [], seconds: 1, model: tinyModel() })
    await model.save()
    await model.save()
    expect(fake.calls.filter((c) => c.method === 'saveModel').map((c) => c.req)).toEqual([{ path: '/tmp/m.json' }, { path: '/tmp/m.json' }])
    expect(model.model.value?.unsaved).toBe(false)
  })

  it('shows a load error plainly and keeps the model it had', async () => {
    const fake = createFakeApi({ openModel: async () => { const e = new Error('/tmp/x.json: not a Backprop Studio model'); e.name = 'ModelFileError'; throw e } })
    const { model, notifier } = setup(fake, '/tmp/m.json')
    fake.emit({ type: 'train-finished', jobId: 'j', stopped: false, summary: tinyModel().summary, evals: [], seconds: 1, model: tinyModel() })
    await model.open('/tmp/x.json')
    expect(model.error.value).toEqual({ name: 'ModelFileError', message: '/tmp/x.json: not a Backprop Studio model' })
    expect(model.model.value?.network.hiddenSizes).toEqual([5])
    expect(notifier.toasts.value.at(-1)?.title).toBe('ModelFileError')
  })

  it('records the evaluation of the loaded model', async () => {
    const fake = createFakeApi()
    const { model } = setup(fake, '/tmp/m.json')
    await model.open()
    await model.evaluate(0)
    expect(model.evaluation.value).toEqual({ trainAcc: 0.9, testAcc: 0.875, samples: 0 })
  })
})
