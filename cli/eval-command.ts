import { loadModel } from '../electron/services/model-store'
import { TrainingService } from '../electron/services/training-service'
import { WorkerPool } from '../electron/services/worker-pool'
import { UsageError } from '../shared/command-line/usage-error'
import { openDataset } from './open-dataset'
import type { Output } from './output'
import { parseFlags, stringFlag } from '../shared/command-line/parse-flags'

export const EVAL_FLAGS = { model: 'string', data: 'string', json: 'boolean' } as const

/** `eval`: a saved model's train and test accuracy, on the same images it was evaluated on when saved. */
export async function evalCommand(argv: readonly string[], out: Output): Promise<void> {
  const flags = parseFlags(argv, EVAL_FLAGS)
  const path = stringFlag(flags, 'model')
  if (path === undefined) throw new UsageError('--model: required (a model file saved by train --save)')
  const { model } = await loadModel(path)
  const data = await openDataset(stringFlag(flags, 'data'), out, flags.has('json'))
  const service = new TrainingService(new WorkerPool({ size: 1, dataset: data }))
  try {
    const acc = await service.evaluate({ network: model.network, params: model.params, evalSamples: model.training.evalSamples })
    if (flags.has('json')) {
      out.line(JSON.stringify({ event: 'eval', trainAcc: acc.trainAcc, testAcc: acc.testAcc }))
      return
    }
    const same = model.summary.dataset.fingerprint === data.fingerprint
    out.line(`${path}: ${[model.network.inputSize, ...model.network.hiddenSizes, model.network.outputSize].join('-')} ${model.network.activation}, ${model.summary.iterations} iterations, saved ${model.savedAt}`)
    out.line(`train accuracy ${acc.trainAcc.toFixed(4)}, test accuracy ${acc.testAcc.toFixed(4)} on ${data.name}`)
    if (!same) out.line(`note: the model was trained on "${model.summary.dataset.name}", a different dataset (fingerprint ${model.summary.dataset.fingerprint.slice(0, 12)}…)`)
  } finally {
    await service.dispose()
  }
}
