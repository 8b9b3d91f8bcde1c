import type { EvalReport } from '../engine/trainer'

/**
 * A run's history as CSV: one row per iteration (1-based, as the charts count), its mini-batch
 * loss, and the accuracies where an evaluation ran after it. Plain numbers, full precision.
 */
export function runCsv(startIter: number, losses: ArrayLike<number>, evals: readonly EvalReport[]): string {
  const byIter = new Map<number, EvalReport>()
  // an evaluation's iter is the 0-based index of the iteration just completed
  for (const e of evals) byIter.set(e.iter + 1, e)
  const rows = ['iteration,loss,train_acc,test_acc']
  for (let i = 0; i < losses.length; i++) {
    const iter = startIter + i + 1
    const e = byIter.get(iter)
    rows.push(`${iter},${num(losses[i])},${e ? num(e.trainAcc) : ''},${e ? num(e.testAcc) : ''}`)
  }
  return `${rows.join('\n')}\n`
}

function num(x: number): string {
  return Number.isFinite(x) ? String(x) : Number.isNaN(x) ? 'NaN' : x > 0 ? 'Inf' : '-Inf'
}
