import { describe, expect, it } from 'vitest'
import { estimateWorkerBytes } from '../../../shared/engine/memory-budget'
import { BOOK_NETWORK } from '../../../shared/engine/network-config'

const PARAMS = 784 * 50 + 50 + 50 * 10 + 10

describe('the memory budget with chapter 6\'s options', () => {
  it('counts the optimiser\'s buffers: two more per parameter for Momentum, four for Adam (each buffer and its exported copy)', () => {
    const sgd = estimateWorkerBytes({ network: BOOK_NETWORK, batchSize: 100 })
    const momentum = estimateWorkerBytes({ network: BOOK_NETWORK, batchSize: 100, optimizer: { kind: 'momentum' } })
    const adam = estimateWorkerBytes({ network: BOOK_NETWORK, batchSize: 100, optimizer: { kind: 'adam' } })
    expect(momentum.params - sgd.params).toBe(PARAMS * 8 * 2)
    expect(adam.params - sgd.params).toBe(PARAMS * 8 * 4)
    expect(adam.buffers).toBe(sgd.buffers)
  })

  it('counts Batch Normalization\'s parameters and per-row buffers, and Dropout\'s masks', () => {
    const plain = estimateWorkerBytes({ network: BOOK_NETWORK, batchSize: 100 })
    const bn = estimateWorkerBytes({ network: { ...BOOK_NETWORK, batchnorm: true }, batchSize: 100 })
    const dropout = estimateWorkerBytes({ network: BOOK_NETWORK, batchSize: 100, dropout: 0.5 })
    expect(bn.params).toBeGreaterThan(plain.params)
    expect(bn.buffers).toBeGreaterThan(plain.buffers)
    expect(dropout.buffers).toBeGreaterThan(plain.buffers)
    expect(dropout.params).toBe(plain.params)
  })
})
