import { describe, expect, it } from 'vitest'
import { AddLayer } from '../../../shared/engine/add-layer'
import { MulLayer } from '../../../shared/engine/mul-layer'

describe('MulLayer and AddLayer: the book\'s shopping example', () => {
  it('prices 2 apples at 100 with tax 1.1 and backpropagates to every input', () => {
    const mulApple = new MulLayer(), mulTax = new MulLayer()
    const applePrice = mulApple.forward(100, 2)
    const price = mulTax.forward(applePrice, 1.1)
    expect(price).toBeCloseTo(220, 10)
    const [dApplePrice, dTax] = mulTax.backward(1)
    const [dApple, dAppleNum] = mulApple.backward(dApplePrice)
    expect(dApple).toBeCloseTo(2.2, 12)
    expect(dAppleNum).toBeCloseTo(110, 10)
    expect(dTax).toBe(200)
  })

  it('adds 3 oranges at 150 and backpropagates through the sum', () => {
    const mulApple = new MulLayer(), mulOrange = new MulLayer(), add = new AddLayer(), mulTax = new MulLayer()
    const apples = mulApple.forward(100, 2)
    const oranges = mulOrange.forward(150, 3)
    const total = add.forward(apples, oranges)
    const price = mulTax.forward(total, 1.1)
    expect(price).toBeCloseTo(715, 10)
    const [dTotal, dTax] = mulTax.backward(1)
    const [dApples, dOranges] = add.backward(dTotal)
    const [dApple, dAppleNum] = mulApple.backward(dApples)
    const [dOrange, dOrangeNum] = mulOrange.backward(dOranges)
    expect(dApple).toBeCloseTo(2.2, 12)
    expect(dAppleNum).toBeCloseTo(110, 10)
    expect(dOrange).toBeCloseTo(3.3, 12)
    expect(dOrangeNum).toBeCloseTo(165, 10)
    expect(dTax).toBe(650)
  })
})
