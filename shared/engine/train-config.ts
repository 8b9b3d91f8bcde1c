import { BOOK_NETWORK, type NetworkConfig } from './network-config'

/**
 * replacement: every mini-batch is drawn afresh from the whole set (distinct within a batch),
 * as the book's np.random.choice does; epochs: one shuffle per epoch, consumed in order.
 */
export type Sampling = 'replacement' | 'epochs'

export interface TrainConfig {
  network: NetworkConfig
  iters: number
  batchSize: number
  lr: number
  seed: number
  /** Evaluate at iteration 0 and every evalEvery iterations (book: 600 = one epoch of 60000/100). */
  evalEvery: number
  /** Images per split used for accuracy; 0 means all of them. */
  evalSamples: number
  sampling: Sampling
}

export const BOOK_TRAINING: TrainConfig = {
  network: BOOK_NETWORK,
  iters: 10000,
  batchSize: 100,
  lr: 0.1,
  seed: 1,
  evalEvery: 600,
  evalSamples: 0,
  sampling: 'replacement',
}

/** What a finished (or stopped) run reports, and what a model file records. */
export interface TrainingSummary {
  iterations: number
  /** Mean cross-entropy of the last mini-batch, before its update. */
  loss: number
  trainAcc: number
  testAcc: number
  dataset: { name: string; fingerprint: string }
}
