import { describe, expect, it } from 'vitest'
import { loadDefaultDataset } from '../../../electron/services/dataset-loader'
import { MemoryBudgetError } from '../../../shared/engine/memory-budget-error'
import {
  WORKER_MEMORY_BUDGET, checkMemoryBudget, datasetDims, estimateGradCheckBytes, estimateWorkerBytes,
} from '../../../shared/engine/memory-budget'
import type { NetworkConfig } from '../../../shared/engine/network-config'
import { ConfigError } from '../../../shared/schemas/config-error'

const BOOK: NetworkConfig = { inputSize: 784, hiddenSizes: [50], outputSize: 10, activation: 'relu', weightInit: { kind: 'std', std: 0.01 } }
const WIDE: NetworkConfig = { ...BOOK, hiddenSizes: [4096, 4096, 4096, 4096] }

const refusal = (fn: () => void): MemoryBudgetError => {
  try { fn() } catch (e) { if (e instanceof MemoryBudgetError) return e; throw e }
  throw new Error('expected a MemoryBudgetError')
}

describe('the per-worker memory budget', () => {
  it('is 1 GiB', () => {
    expect(WORKER_MEMORY_BUDGET).toBe(2 ** 30)
  })

  it('counts every parameter at least as W, b, dW and db in float64', () => {
    // 784·50 + 50 + 50·10 + 10 = 39,760 parameters
    const { params } = estimateWorkerBytes({ network: BOOK, batchSize: 1 })
    expect(params).toBeGreaterThanOrEqual(39_760 * 4 * 8)
  })

  it('grows linearly with the batch, and with the density of the images', () => {
    const at = (batchSize: number, density: number) => estimateWorkerBytes({ network: BOOK, batchSize }, { density }).buffers
    expect(at(200, 1) - at(100, 1)).toBe(at(300, 1) - at(200, 1))
    expect(at(100, 0.2)).toBeLessThan(at(100, 1))
  })

  it("takes MNIST's density from its pixel lists", async () => {
    const { density } = datasetDims(await loadDefaultDataset())
    expect(density).toBeGreaterThan(0.15)
    expect(density).toBeLessThan(0.25)
  })

  it("lets the book's run, and full-batch descent of the book's network, through", () => {
    expect(() => checkMemoryBudget(estimateWorkerBytes({ network: BOOK, batchSize: 100 }, { density: 0.19 }), 'batchSize')).not.toThrow()
    expect(() => checkMemoryBudget(estimateWorkerBytes({ network: BOOK, batchSize: 60_000 }, { density: 0.19 }), 'batchSize')).not.toThrow()
  })

  it('refuses a network too big for a worker, naming the hidden sizes and the budget', () => {
    const e = refusal(() => checkMemoryBudget(estimateWorkerBytes({ network: WIDE, batchSize: 100 }), 'batchSize'))
    expect(e).toBeInstanceOf(ConfigError)
    expect(e.name).toBe('MemoryBudgetError')
    expect(e.errors).toHaveLength(1)
    expect(e.errors[0].field).toBe('network.hiddenSizes')
    expect(e.message).toMatch(/^network\.hiddenSizes: this network needs ~\d+(\.\d)? GiB per worker, over the 1 GiB budget; use fewer or smaller layers/)
  })

  it('refuses a batch too big for a worker, naming the batch size', () => {
    const e = refusal(() => checkMemoryBudget(estimateWorkerBytes({ network: { ...BOOK, hiddenSizes: [2000, 2000] }, batchSize: 60_000 }), 'batchSize'))
    expect(e.errors[0].field).toBe('batchSize')
    expect(e.message).toMatch(/use a smaller batch/)
  })

  it("refuses a gradient check on too many images, naming samples", () => {
    expect(() => checkMemoryBudget(estimateGradCheckBytes(BOOK, 3), 'samples')).not.toThrow()
    const e = refusal(() => checkMemoryBudget(estimateGradCheckBytes({ ...BOOK, hiddenSizes: [4096, 4096] }, 10_000), 'samples'))
    expect(e.errors[0].field).toBe('samples')
    expect(e.message).toMatch(/use fewer images/)
  })

  it('compares against the budget it is given', () => {
    const bytes = estimateWorkerBytes({ network: BOOK, batchSize: 100 })
    expect(() => checkMemoryBudget(bytes, 'batchSize', bytes.total)).not.toThrow()
    expect(() => checkMemoryBudget(bytes, 'batchSize', bytes.total - 1)).toThrow(MemoryBudgetError)
  })
})
