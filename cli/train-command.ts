import { loadModel, saveModel } from '../electron/services/model-store'
import { startFrom } from '../shared/model/start-from'
import { optimizerOf, type TrainConfig } from '../shared/engine/train-config'
import type { WatchdogAlarm } from '../shared/engine/watchdog'
import { exportModelFile, type ExportFormat } from '../electron/services/model-interchange'
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
  sampling: 'string', engine: 'string', save: 'string', optimizer: 'string', momentum: 'string', beta1: 'string',
  beta2: 'string', 'weight-decay': 'string', dropout: 'string', batchnorm: 'boolean', resume: 'string', 'no-watchdog': 'boolean', 'export-npz': 'string', 'export-onnx': 'string', json: 'boolean',
} as const

/** `train`: the book's loop in the app's worker pool, printing the per-epoch table or JSON lines. */
export async function trainCommand(argv: readonly string[], out: Output): Promise<void> {
  const flags = parseFlags(argv, TRAIN_FLAGS)
  const json = flags.has('json')
  // with --resume, the model's config is the base the flags change, and its network stays
  const resumePath = stringFlag(flags, 'resume')
  const resumed = resumePath === undefined ? undefined : (await loadModel(resumePath)).model
  const base = resumed ? { network: resumed.network, ...resumed.training } : undefined
  trainConfigFromFlags(flags, 784, 10, base) // refuse bad flags before reading any data
  const engine = engineFromFlags(flags)
  const savePath = flags.has('save') ? await checkWritable(stringFlag(flags, 'save')!, '--save') : undefined
  const exports: [ExportFormat, string][] = []
  for (const format of ['npz', 'onnx'] as const) {
    const flag = `export-${format}`
    if (flags.has(flag)) exports.push([format, await checkWritable(stringFlag(flags, flag)!, `--${flag}`)])
  }
  const data = await openDataset(stringFlag(flags, 'data'), out, json)
  const config = trainConfigFromFlags(flags, data.rows * data.cols, data.classes, base)
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
      out.line(`Training ${[config.network.inputSize, ...config.network.hiddenSizes, config.network.outputSize].join('-')} ${config.network.activation} on ${data.name}: ${config.iters} iterations, batch ${config.batchSize}, lr ${config.lr}, ${describeOptimizer(config)}, seed ${config.seed}${engine === 'reference' ? ', reference engine (the book\'s dense layers)' : ''}`)
      out.line('  iter    epoch     loss  train acc  test acc')
    }
    const printEval = (e: EvalReport) => {
      if (json) out.line(JSON.stringify({ event: 'epoch', iter: e.iter, loss: e.loss, trainAcc: e.trainAcc, testAcc: e.testAcc }))
      else {
        out.status('')
        // iteration -1: the initial weights, when a run stopped before its first step
        out.line(`${(e.iter < 0 ? 'start' : String(e.iter)).padStart(6)} ${e.epoch.toFixed(2).padStart(8)} ${e.loss.toFixed(4).padStart(8)} ${e.trainAcc.toFixed(4).padStart(10)} ${e.testAcc.toFixed(4).padStart(9)}`)
      }
    }
    // the watchdog pauses the job; here that ends it: the model is still saved, then the status is 1
    const watched: { alarm: WatchdogAlarm | null } = { alarm: null }
    const onProgress = (p: TrainProgress) => {
      p.evals.forEach(printEval)
      if (p.watchdog && !watched.alarm) {
        watched.alarm = p.watchdog
        if (json) out.line(JSON.stringify({ event: 'watchdog', ...p.watchdog }))
        if (jobId) service.control(jobId, 'stop')
      }
      if (!json) out.status(progressLine(p))
    }
    if (resumed && !json) out.line(`Resuming ${resumePath} at iteration ${resumed.summary.iterations}`)
    const job = service.start({ config, onProgress, engine, start: resumed ? startFrom(resumed, config) : undefined, watchdog: !flags.has('no-watchdog') })
    jobId = job.id
    const result = await job.result
    out.status('')
    const s = result.summary
    if (json) {
      out.line(JSON.stringify({ event: 'done', iters: s.iterations, loss: s.loss, trainAcc: s.trainAcc, testAcc: s.testAcc, seconds: result.seconds, stopped: result.stopped }))
    } else {
      out.line(`${result.stopped ? 'Stopped' : 'Done'} after ${s.iterations} iterations in ${result.seconds.toFixed(1)} s (training ${result.trainSeconds.toFixed(1)} s, evaluation ${result.evalSeconds.toFixed(1)} s): loss ${s.loss.toFixed(4)}, train accuracy ${s.trainAcc.toFixed(4)}, test accuracy ${s.testAcc.toFixed(4)}`)
    }
    const model = modelFromRun(config, result, new Date(), resumed?.history)
    if (savePath) {
      await saveModel(savePath, model)
      if (!json) out.line(`Saved ${savePath}`)
    }
    for (const [format, path] of exports) {
      const bytes = await exportModelFile(path, model, format)
      if (json) out.line(JSON.stringify({ event: 'export', format, path, bytes }))
      else out.line(`Exported ${format === 'npz' ? 'NumPy .npz' : 'ONNX'} ${path}`)
    }
    if (watched.alarm) throw new WatchdogError(watched.alarm.message)
  } finally {
    process.off('SIGINT', onSigint)
    await service.dispose()
  }
}

/** The watchdog paused the run: the CLI saves what it has, prints the watchdog's line and exits 1 (see --no-watchdog). */
export class WatchdogError extends Error {
  override name = 'WatchdogError'
}

/** "adam (β1 0.9, β2 0.999), weight decay 0.01, dropout 0.5, batchnorm" for the header line. */
function describeOptimizer(config: TrainConfig): string {
  const o = optimizerOf(config)
  const hyper = o.kind === 'momentum' || o.kind === 'nesterov' ? ` (momentum ${o.momentum})` : o.kind === 'adam' ? ` (β1 ${o.beta1}, β2 ${o.beta2})` : o.kind === 'rmsprop' ? ` (decay ${o.decayRate})` : ''
  const extra = [
    config.weightDecay ? `weight decay ${config.weightDecay}` : '',
    config.dropout ? `dropout ${config.dropout}` : '',
    config.network.batchnorm ? 'batchnorm' : '',
  ].filter(Boolean)
  return [`${o.kind}${hyper}`, ...extra].join(', ')
}
