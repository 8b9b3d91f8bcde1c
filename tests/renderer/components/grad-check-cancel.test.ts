// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import GradCheckView from '../../../renderer/src/components/GradCheckView.vue'
import { createFakeApi, settle } from '../fake-api'
import { mountWithStudio } from '../mount-studio'

let cleanup = () => undefined as void
afterEach(() => cleanup())

describe('GradCheckView cancel', () => {
  it('cancels a running check and says so, without an error', async () => {
    let reject: (e: unknown) => void = () => undefined
    const fake = createFakeApi({
      gradientCheck: () => new Promise((_, no) => { reject = no }),
      cancelGradientCheck: async () => {
        reject({ name: 'CancelledError', message: 'the gradient check was cancelled' })
        return { cancelled: 1 }
      },
    })
    const { wrapper, studio, dispose } = mountWithStudio(GradCheckView, fake)
    cleanup = dispose
    await studio.dataset.load()
    await settle()
    expect(wrapper.find('[data-testid="gradcheck-cancel"]').exists()).toBe(false)
    await wrapper.get('[data-testid="gradcheck-run"]').trigger('click')
    await settle()
    await wrapper.get('[data-testid="gradcheck-cancel"]').trigger('click')
    await settle()
    expect(fake.calls.filter((c) => c.method === 'cancelGradientCheck')).toHaveLength(1)
    expect(wrapper.get('[data-testid="gradcheck-cancelled"]').text()).toBe('Gradient check cancelled')
    expect(wrapper.find('.error-box').exists()).toBe(false)
    expect(studio.notifier.toasts.value).toEqual([])
    expect(wrapper.find('[data-testid="gradcheck-cancel"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="gradcheck-run"]').attributes('disabled')).toBeUndefined()
  })
})
