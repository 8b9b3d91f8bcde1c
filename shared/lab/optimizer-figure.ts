import { createOptimizer } from '../engine/create-optimizer'
import { OPTIMIZER_KINDS, type OptimizerKind } from '../engine/optimizer'
import { optimizerPath, type OptimizerPath } from './optimizer-paths'

/** What the optimiser playground draws: `steps` updates per optimiser, each at its own lr. */
export interface FigureSettings {
  steps: number
  lr: Record<OptimizerKind, number>
  shown: OptimizerKind[]
}

/**
 * The book's figure 6-8 (optimizer_compare_naive.py): SGD at lr 0.95, Momentum 0.1, AdaGrad 1.5
 * and Adam 0.3, 30 updates each. Nesterov and RMSprop are not in it; at 0.1 Nesterov is
 * comparable with Momentum, and RMSprop, whose first step is 10·lr per coordinate (h starts at
 * 0.01·grad²), stays on the plot.
 */
export const BOOK_FIGURE: FigureSettings = {
  steps: 30,
  lr: { sgd: 0.95, momentum: 0.1, nesterov: 0.1, adagrad: 1.5, rmsprop: 0.1, adam: 0.3 },
  shown: ['sgd', 'momentum', 'adagrad', 'adam'],
}

/** Each shown optimiser's path from the book's start, with the book's other hyperparameters, in OPTIMIZER_KINDS order. */
export function figurePaths(settings: FigureSettings): { kind: OptimizerKind; path: OptimizerPath }[] {
  return OPTIMIZER_KINDS.filter((kind) => settings.shown.includes(kind))
    .map((kind) => ({ kind, path: optimizerPath(createOptimizer({ kind }, settings.lr[kind]), settings.steps) }))
}
