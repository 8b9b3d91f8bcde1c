// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import HyperparamForm from '../../../renderer/src/components/HyperparamForm.vue'
import { BOOK_TRAINING } from '../../../shared/engine/train-config'
import { createFakeApi, settle } from '../fake-api'
import { mountWithStudio } from '../mount-studio'

let cleanup = () => undefined as void
afterEach(() => cleanup())

async function setup() {
  const fake = createFakeApi()
  const m = mountWithStudio(HyperparamForm, fake)
  cleanup = m.dispose
  await m.studio.dataset.load()
  await settle()
  return m
}

describe('HyperparamForm', () => {
  it('shows the validator message under the field that is wrong', async () => {
    const { wrapper, studio } = await setup()
    await wrapper.get('[data-testid="hp-lr"]').setValue('0')
    expect(wrapper.get('[data-testid="error-hp-lr"]').text()).toBe('must be a number > 0 and ≤ 100, got 0')
    expect(wrapper.get('[data-testid="hp-lr"]').attributes('aria-invalid')).toBe('true')
    expect(studio.form.config.value).toBeNull()
  })

  it('names the bad hidden layer', async () => {
    const { wrapper } = await setup()
    await wrapper.get('[data-testid="hp-hidden"]').setValue('100, 5000')
    expect(wrapper.get('[data-testid="error-hp-hidden"]').text()).toMatch(/^layer 2 must be a whole number from 1 to 4096, got 5000/)
  })

  it('restores the book defaults', async () => {
    const { wrapper, studio } = await setup()
    await wrapper.get('[data-testid="hp-iters"]').setValue('300')
    await wrapper.get('[data-testid="hp-book"]').trigger('click')
    expect((wrapper.get('[data-testid="hp-iters"]').element as HTMLInputElement).value).toBe('10000')
    expect(studio.form.config.value).toEqual({ ...BOOK_TRAINING, network: { ...BOOK_TRAINING.network, inputSize: 4, outputSize: 3 } })
  })

  it('locks every field while training runs', async () => {
    const { wrapper, studio } = await setup()
    await studio.train(false)
    await settle()
    expect(wrapper.get('fieldset').attributes('disabled')).toBeDefined()
    expect(wrapper.get('[data-testid="hp-book"]').attributes('disabled')).toBeDefined()
  })

  it('asks for a sample count when evaluation is not on all images', async () => {
    const { wrapper, studio } = await setup()
    expect(wrapper.find('[data-testid="hp-eval-samples"]').exists()).toBe(false)
    await wrapper.get('[data-testid="hp-eval-all"]').setValue('false')
    await wrapper.get('[data-testid="hp-eval-samples"]').setValue('5')
    expect(studio.form.config.value?.evalSamples).toBe(5)
  })
})
