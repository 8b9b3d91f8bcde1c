import { describe, expect, it } from 'vitest'
import { OPTIMIZER_KINDS } from '../../../shared/engine/optimizer'
import { bowl } from '../../../shared/lab/bowl'
import { optimizerPlaygroundOption } from '../../../renderer/src/lib/optimizer-playground-option'

describe('optimizerPlaygroundOption', () => {
  const path = { x: [-7, -6, Number.POSITIVE_INFINITY, 1], y: [2, 1, 0, 0] }

  it('keeps a series per optimiser, empty when not shown, and lists only the shown in the legend', () => {
    const o = optimizerPlaygroundOption([{ kind: 'momentum', path }], 'light')
    const optimizers = o.series.filter((s) => 'id' in s)
    expect(optimizers.map((s) => ('id' in s ? s.id : ''))).toEqual([...OPTIMIZER_KINDS])
    expect(optimizers.filter((s) => s.data.length).map((s) => s.name)).toEqual(['Momentum'])
    expect(o.legend.data).toEqual(['Momentum'])
  })

  it('ends a diverging path at its last finite point', () => {
    const o = optimizerPlaygroundOption([{ kind: 'sgd', path }], 'dark')
    expect(o.series.find((s) => s.name === 'SGD')?.data).toEqual([[-7, 2], [-6, 1]])
  })

  it('draws contours of f under the paths, each at its level', () => {
    const o = optimizerPlaygroundOption([], 'light')
    const contours = o.series.filter((s) => s.name.startsWith('f = '))
    expect(contours.length).toBeGreaterThan(4)
    for (const c of contours) {
      const level = Number(c.name.slice(4))
      for (const [x, y] of c.data as [number, number][]) expect(bowl(x, y)).toBeCloseTo(level, 10)
    }
  })
})
