import { AddLayer } from '../engine/add-layer'
import { MulLayer } from '../engine/mul-layer'
import { graphCheck } from './graph-check'
import { scalarGraph } from './scalar-graph'

/** The book's first shopping graph (5.4.1): price = apple · apple_num · tax. */
export const appleGraph = scalarGraph({
  id: 'apple',
  section: '5.4.1',
  target: 'price',
  inputs: [
    { name: 'apple', label: 'apple', initial: 100 },
    { name: 'apple_num', label: 'apple_num', initial: 2 },
    { name: 'tax', label: 'tax', initial: 1.1 },
  ],
  nodes: [
    { name: 'apple_price', label: '×', args: ['apple', 'apple_num'], layer: () => new MulLayer(), formula: 'apple × apple_num', locals: { apple: 'apple_num', apple_num: 'apple' } },
    { name: 'price', label: '×', args: ['apple_price', 'tax'], layer: () => new MulLayer(), formula: 'apple_price × tax', locals: { apple_price: 'tax', tax: 'apple_price' } },
  ],
  checks: (v, g, dout) => [
    graphCheck('∂price/∂apple = apple_num · tax', g.apple, dout * v.apple_num * v.tax),
    graphCheck('∂price/∂apple_num = apple · tax', g.apple_num, dout * v.apple * v.tax),
    graphCheck('∂price/∂tax = apple · apple_num', g.tax, dout * v.apple * v.apple_num),
  ],
})

/** The book's second shopping graph (5.4.2): price = (apple · apple_num + orange · orange_num) · tax. */
export const appleOrangeGraph = scalarGraph({
  id: 'apple-orange',
  section: '5.4.2',
  target: 'price',
  inputs: [
    { name: 'apple', label: 'apple', initial: 100 },
    { name: 'apple_num', label: 'apple_num', initial: 2 },
    { name: 'orange', label: 'orange', initial: 150 },
    { name: 'orange_num', label: 'orange_num', initial: 3 },
    { name: 'tax', label: 'tax', initial: 1.1 },
  ],
  nodes: [
    { name: 'apple_price', label: '×', args: ['apple', 'apple_num'], layer: () => new MulLayer(), formula: 'apple × apple_num', locals: { apple: 'apple_num', apple_num: 'apple' } },
    { name: 'orange_price', label: '×', args: ['orange', 'orange_num'], layer: () => new MulLayer(), formula: 'orange × orange_num', locals: { orange: 'orange_num', orange_num: 'orange' } },
    { name: 'all_price', label: '+', args: ['apple_price', 'orange_price'], layer: () => new AddLayer(), formula: 'apple_price + orange_price', locals: { apple_price: '1', orange_price: '1' } },
    { name: 'price', label: '×', args: ['all_price', 'tax'], layer: () => new MulLayer(), formula: 'all_price × tax', locals: { all_price: 'tax', tax: 'all_price' } },
  ],
  checks: (v, g, dout) => [
    graphCheck('∂price/∂apple = apple_num · tax', g.apple, dout * v.apple_num * v.tax),
    graphCheck('∂price/∂orange = orange_num · tax', g.orange, dout * v.orange_num * v.tax),
    graphCheck('∂price/∂tax = apple · apple_num + orange · orange_num', g.tax, dout * (v.apple * v.apple_num + v.orange * v.orange_num)),
  ],
})
