// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { mount, type VueWrapper } from '@vue/test-utils'
import App from '../../../renderer/src/App.vue'
// App loads these tabs on demand; importing them here first lets the lazy import resolve within settle()
import '../../../renderer/src/components/ModelView.vue'
import '../../../renderer/src/components/PredictionsView.vue'
import type { TrainProgress } from '../../../shared/training-events'
import { createFakeApi, settle, tinyModel, type FakeApi } from '../fake-api'

let wrapper: VueWrapper | null = null
afterEach(() => { wrapper?.unmount(); wrapper = null })

async function mountApp(fake: FakeApi) {
  // the charts need a real canvas; their option logic is covered by the e2e runs
  wrapper = mount(App, { props: { api: fake.api }, global: { stubs: { LossChart: true, AccuracyChart: true } }, attachTo: document.body })
  await settle()
  return wrapper
}

const progress = (iter: number, extra: Partial<TrainProgress> = {}): TrainProgress => ({
  iter, totalIters: 300, epoch: 1.5, elapsedMs: 65_000, etaMs: 30_000, itersPerSecond: 120,
  lossStart: 0, losses: new Float64Array(iter), evals: [], state: 'running', ...extra,
})

describe('App', () => {
  it('starts training from the form and shows iteration and epoch separately', async () => {
    const fake = createFakeApi()
    const w = await mountApp(fake)
    await w.get('[data-testid="hp-iters"]').setValue('300')
    await w.get('[data-testid="train-start"]').trigger('click')
    await settle()
    expect(fake.calls.find((c) => c.method === 'startTraining')?.req).toMatchObject({ resume: false, config: { iters: 300, network: { inputSize: 4, outputSize: 3 } } })
    fake.emit({ type: 'train-progress', jobId: 'job-1', progress: progress(150) })
    await settle()
    expect(w.get('[data-testid="progress-iter"]').text()).toBe('150 / 300')
    expect(w.get('[data-testid="progress-epoch"]').text()).toBe('1.50')
    expect(w.get('[data-testid="train-progress"]').text()).toContain('1:05')
    expect(w.get('[data-testid="train-start"]').attributes('disabled')).toBeDefined()
    expect(w.get('[data-testid="train-pause"]').attributes('disabled')).toBeUndefined()
    expect(w.get('[data-testid="train-resume"]').attributes('disabled')).toBeDefined()

    await w.get('[data-testid="train-pause"]').trigger('click')
    await settle()
    expect(w.get('[data-testid="train-resume"]').attributes('disabled')).toBeUndefined()
    expect(w.get('[data-testid="train-progress"]').attributes('data-state')).toBe('paused')
  })

  it('shows back-end errors as a toast with the error name', async () => {
    const fake = createFakeApi({ startTraining: async () => { const e = new Error('the worker exited with code 1'); e.name = 'WorkerCrashError'; throw e } })
    const w = await mountApp(fake)
    await w.get('[data-testid="train-start"]').trigger('click')
    await settle()
    const toast = w.get('[data-testid="toast-error"]')
    expect(toast.text()).toContain('WorkerCrashError')
    expect(toast.text()).toContain('the worker exited with code 1')
  })

  it('opens a model from the menu through the path dialog in web mode', async () => {
    const fake = createFakeApi()
    const w = await mountApp(fake)
    fake.emit({ type: 'menu', action: 'open-model' })
    await settle()
    await w.get('[data-testid="path-input"]').setValue('/srv/models/a.json')
    await w.get('[data-testid="path-dialog"]').trigger('submit')
    await settle()
    expect(fake.calls.find((c) => c.method === 'openModel')?.req).toEqual({ path: '/srv/models/a.json' })
    expect(w.get('[data-testid="model-summary"]').text()).toContain('4-5-3 ReLU')
    expect(w.find('[data-testid="path-dialog"]').exists()).toBe(false)
  })

  it('uses the native dialog in Electron: no path prompt, a null path', async () => {
    const fake = createFakeApi({}, true)
    const w = await mountApp(fake)
    fake.emit({ type: 'train-finished', jobId: 'x', stopped: false, summary: tinyModel().summary, evals: [], seconds: 1, model: tinyModel() })
    fake.emit({ type: 'menu', action: 'save-model' })
    await settle()
    expect(w.find('[data-testid="path-dialog"]').exists()).toBe(false)
    expect(fake.calls.find((c) => c.method === 'saveModel')?.req).toEqual({ path: null })
  })

  it('marks misclassified predictions and draws top-3 bars', async () => {
    const fake = createFakeApi({ currentModel: async () => tinyModel() })
    const w = await mountApp(fake)
    await w.get('[data-testid="tab-predictions"]').trigger('click')
    await settle()
    const cards = w.findAll('[data-testid="predictions"] figure')
    expect(cards).toHaveLength(6)
    // the fake predicts 0 for every image; labels are index % 3
    expect(cards.map((c) => c.attributes('data-wrong'))).toEqual(['false', 'true', 'true', 'false', 'true', 'true'])
    expect(cards[0].findAll('.prob')).toHaveLength(3)
  })

  it('refreshes the predictions while training runs and the gallery is open', async () => {
    const fake = createFakeApi({ currentModel: async () => tinyModel() })
    const w = await mountApp(fake)
    await w.get('[data-testid="tab-predictions"]').trigger('click')
    await settle()
    const predicts = () => fake.calls.filter((c) => c.method === 'predict').length
    const before = predicts()
    await w.get('[data-testid="train-start"]').trigger('click')
    await settle()
    fake.emit({ type: 'train-progress', jobId: 'job-1', progress: progress(10) })
    await settle()
    expect(predicts()).toBe(before + 1)
    expect(w.text()).toContain('Refreshing every few seconds while training runs.')
  })
})
