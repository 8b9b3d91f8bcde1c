// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { nextTick, shallowRef } from 'vue'
import ChartTextAlternative from '../../../renderer/src/components/ChartTextAlternative.vue'

describe('ChartTextAlternative', () => {
  it('builds its table only while open, and follows the data while it is', async () => {
    const data = shallowRef([1, 2])
    let built = 0
    const rows = () => { built++; return data.value.map((v) => [v, v * 10]) }
    const wrapper = mount(ChartTextAlternative, { props: { label: 'Loss', latest: '2', columns: ['a', 'b'], rows } })
    // a live run changes the data many times a second; a closed table costs nothing
    for (let i = 3; i < 10; i++) { data.value = [...data.value, i]; await nextTick() }
    expect(built).toBe(0)
    expect(wrapper.find('[data-testid="chart-alt-table"]').exists()).toBe(false)

    await wrapper.get('[data-testid="chart-alt-toggle"]').trigger('click')
    expect(wrapper.findAll('tbody tr')).toHaveLength(9)
    data.value = [...data.value, 10]
    await nextTick()
    const cells = wrapper.findAll('tbody tr').at(-1)!.findAll('td').map((td) => td.text())
    expect(cells).toEqual(['10', '100'])

    await wrapper.get('[data-testid="chart-alt-toggle"]').trigger('click')
    const after = built
    data.value = [...data.value, 11]
    await nextTick()
    expect(built).toBe(after)
  })
})
