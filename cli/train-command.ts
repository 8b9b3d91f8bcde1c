import { saveModel } from '../electron/services/model-store'
import { checkMemoryBudget, datasetDims, estimateWorkerBytes } from '../shared/engine/memory-budget'
import { TrainingService } from '../electron/services/training-service'
import { WorkerPool } from '../electron/services/worker-pool'
import type { EvalReport, TrainProgress } from '../shared/training-events'
import { modelFromRun } from '../shared/model/model-from-run'
import { checkWritable } from './check-writable'
import { openDataset } from './open-dataset'
import { parseFlags, stringFlag } from '../shared/command-line/parse-flags'
import { progressLine } from './progress-bar'
import { engineFromFlags, trainConfigFromFlags } from './train-flags'
import type { Output } from './output'

export const TRAIN_FLAGS = {
  data: 'string', iters: 'string', batch: 'string', lr: 'string', hidden: 'string', activation: 'string',
  init: 'string', 'init-std': 'string', seed: 'string', 'eval-every': 'string', 'eval-samples': 'string',
  sampling: 'string', engine: 'string', save: 'string', json: 'boolean',
} as const

/** `train`: the book's loop in the app's worker pool, printing the per-epoch table or JSON lines. */
export async function trainCommand(argv: readonly string[], out: Output): Promise<void> {
  const flags = parseFlags(argv, TRAIN_FLAGS)
  const json = flags.has('json')
  trainConfigFromFlags(flags, 784, 10) // refuse bad flags before reading any data
  const engine = engineFromFlags(flags)
  const savePath = flags.has('save') ? await checkWritable(stringFlag(flags, 'save')!, '--save') : undefined
  const data = await openDataset(stringFlag(flags, 'data'), out, json)
  const config = trainConfigFromFlags(flags, data.rows * data.cols, data.classes)
  checkMemoryBudget(estimateWorkerBytes(config, datasetDims(data)), 'batchSize')

  // the app's own path: a worker pool (one worker per core, so evaluation runs beside training)
  const service = new TrainingService(new WorkerPool({ dataset: data }))
  let jobId: string | null = null
  let stopping = false
  // first Ctrl-C stops training and keeps (and saves) the model trained so far; a second one quits
  const onSigint = () => {
    if (stopping || !jobId) process.exit(130)
    stopping = true
    service.control(jobId, 'stop')
  }
  process.on('SIGINT', onSigint)

  try {
    if (!json) {
      out.line(`Training ${[config.network.inputSize, ...config.network.hiddenSizes, config.network.outputSize].join('-')} ${config.network.activation} on ${data.name}: ${config.iters} iterations, batch ${config.batchSize}, lr ${config.lr}, seed ${config.seed}${engine === 'reference' ? ', reference engine (the book\'s dense layers)' : ''}`)
      out.line('  iter    epoch     loss  train acc  test acc')
    }
    const printEval = (e: EvalReport) => {
      if (json) out.line(JSON.stringify({ event: 'epoch', iter: e.iter, loss: e.loss, trainAcc: e.trainAcc, testAcc: e.testAcc }))
      else {
        out.status('')
        out.line(`${String(e.iter).padStart(6)} ${e.epoch.toFixed(2).padStart(8)} ${e.loss.toFixed(4).padStart(8)} ${e.trainAcc.toFixed(4).padStart(10)} ${e.testAcc.toFixed(4).padStart(9)}`)
      }
    }
    const onProgress = (p: TrainProgress) => {
      p.evals.forEach(printEval)
      if (!json) out.status(progressLine(p))
    }
    const job = service.start({ config, onProgress, engine })
    jobId = job.id
    const result = await job.result
    out.status('')
    const s = result.summary
    if (json) {
      out.line(JSON.stringify({ event: 'done', iters: s.iterations, loss: s.loss, trainAcc: s.trainAcc, testAcc: s.testAcc, seconds: result.seconds, stopped: result.stopped }))
    } else {
      out.line(`${result.stopped ? 'Stopped' : 'Done'} after ${s.iterations} iterations in ${result.seconds.toFixed(1)} s (training ${result.trainSeconds.toFixed(1)} s, evaluation ${result.evalSeconds.toFixed(1)} s): loss ${s.loss.toFixed(4)}, train accuracy ${s.trainAcc.toFixed(4)}, test accuracy ${s.testAcc.toFixed(4)}`)
    }
    if (savePath) {
      await saveModel(savePath, modelFromRun(config, result))
      if (!json) out.line(`Saved ${savePath}`)
    }
  } finally {
    process.off('SIGINT', onSigint)
    await service.dispose()
  }
}
