import { AdaGrad } from './ada-grad'
import { Adam } from './adam'
import { Momentum } from './momentum'
import { Nesterov } from './nesterov'
import type { Optimizer, OptimizerConfig } from './optimizer'
import { RmsProp } from './rms-prop'
import { Sgd } from './sgd'

/** The optimiser a config names, at learning rate lr; missing hyperparameters take the book's values. */
export function createOptimizer(config: OptimizerConfig, lr: number): Optimizer {
  switch (config.kind) {
    case 'sgd': return new Sgd(lr)
    case 'momentum': return new Momentum(lr, config.momentum)
    case 'nesterov': return new Nesterov(lr, config.momentum)
    case 'adagrad': return new AdaGrad(lr)
    case 'rmsprop': return new RmsProp(lr, config.decayRate)
    case 'adam': return new Adam(lr, config.beta1, config.beta2)
  }
}
