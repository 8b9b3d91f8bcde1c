import type { RunSummary } from '../../../shared/ipc'

export type RunSortKey = 'date' | 'optimizer' | 'lr' | 'batch' | 'network' | 'loss' | 'trainAcc' | 'testAcc' | 'seconds'

/** The runs table's columns: what each shows and sorts by. */
export function runSortValue(r: RunSummary, key: RunSortKey): number | string {
  switch (key) {
    case 'date': return r.startedAt
    case 'optimizer': return r.config.optimizer?.kind ?? 'sgd'
    case 'lr': return r.config.lr
    case 'batch': return r.config.batchSize
    case 'network': return networkLabel(r)
    case 'loss': return r.loss
    case 'trainAcc': return r.trainAcc
    case 'testAcc': return r.testAcc
    case 'seconds': return r.seconds
  }
}

/** e.g. 784-100-50-10, with +BN for batchnorm. */
export function networkLabel(r: RunSummary): string {
  const n = r.config.network
  return `${[n.inputSize, ...n.hiddenSizes, n.outputSize].join('-')}${n.batchnorm ? '+BN' : ''}`
}

/** Sorted copy; a missing number (NaN) sorts last either way. */
export function sortRuns(runs: readonly RunSummary[], key: RunSortKey, descending: boolean): RunSummary[] {
  return [...runs].sort((a, b) => {
    const x = runSortValue(a, key), y = runSortValue(b, key)
    const xn = typeof x === 'number' && Number.isNaN(x), yn = typeof y === 'number' && Number.isNaN(y)
    if (xn || yn) return Number(xn) - Number(yn)
    const c = x < y ? -1 : x > y ? 1 : 0
    return descending ? -c : c
  })
}
