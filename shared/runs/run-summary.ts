import type { RunMeta, RunSummary } from './run-record'

/** The table row of a run; `active` says whether a recorder is writing it now. */
export function runSummary(meta: RunMeta, active: boolean): RunSummary {
  const lastEval = meta.evals.at(-1)
  const s = meta.summary
  return {
    id: meta.id,
    name: meta.name,
    startedAt: meta.startedAt,
    seconds: meta.seconds,
    status: meta.status === 'running' && !active ? 'interrupted' : meta.status,
    config: meta.config,
    dataset: meta.dataset,
    iterations: s ? s.iterations : meta.startIter + meta.lossCount,
    loss: s ? s.loss : (lastEval?.loss ?? Number.NaN),
    trainAcc: s ? s.trainAcc : (lastEval?.trainAcc ?? Number.NaN),
    testAcc: s ? s.testAcc : (lastEval?.testAcc ?? Number.NaN),
    hasModel: meta.hasModel,
  }
}
