import { effectScope } from 'vue'
import { mount, type ComponentMountingOptions } from '@vue/test-utils'
import type { Component } from 'vue'
import { createStudio, STUDIO_KEY, type Studio } from '../../renderer/src/composables/use-studio'
import type { FakeApi } from './fake-api'

/** Mounts a component under a studio built from the fake api, as App does. */
export function mountWithStudio(component: Component, fake: FakeApi, options: ComponentMountingOptions<Component> = {}) {
  const scope = effectScope()
  const studio = scope.run(() => createStudio(fake.api)) as Studio
  const wrapper = mount(component, { ...options, global: { ...options.global, provide: { [STUDIO_KEY as symbol]: studio } } })
  return { wrapper, studio, dispose: () => { wrapper.unmount(); scope.stop() } }
}
