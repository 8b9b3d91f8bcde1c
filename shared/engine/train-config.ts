import { BOOK_NETWORK, type NetworkConfig } from './network-config'
import type { OptimizerConfig } from './optimizer'

export type { OptimizerConfig }

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
  /** The update rule; absent means the book's SGD. */
  optimizer?: OptimizerConfig
  /** λ of L2 weight decay, ≥ 0: adds 0.5·λ·ΣW² to the loss and λ·W to each dW. Absent means 0. */
  weightDecay?: number
  /** Dropout ratio in [0, 1) after each hidden activation; off at evaluation. Absent means 0. */
  dropout?: number
}

/** The optimiser a config runs: the book's SGD unless it names another. */
export function optimizerOf(config: Pick<TrainConfig, 'optimizer'>): OptimizerConfig {
  return config.optimizer ?? { kind: 'sgd' }
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
  optimizer: { kind: 'sgd' },
  weightDecay: 0,
  dropout: 0,
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
