import { TrainingService } from '../electron/services/training-service'
import { WorkerPool } from '../electron/services/worker-pool'
import { UsageError } from '../shared/command-line/usage-error'
import { openDataset } from './open-dataset'
import type { Output } from './output'
import { numberFlag, parseFlags, stringFlag } from '../shared/command-line/parse-flags'
import { trainConfigFromFlags } from './train-flags'
import { LIMITS } from '../shared/schemas/limits'
import { checkMemoryBudget, datasetDims, estimateGradCheckBytes } from '../shared/engine/memory-budget'

export const GRADCHECK_FLAGS = {
  data: 'string', samples: 'string', hidden: 'string', activation: 'string', init: 'string', 'init-std': 'string',
  seed: 'string', json: 'boolean',
} as const

/** `gradcheck`: backprop against central differences on every parameter, in a worker. */
export async function gradcheckCommand(argv: readonly string[], out: Output): Promise<void> {
  const flags = parseFlags(argv, GRADCHECK_FLAGS)
  const json = flags.has('json')
  const samples = numberFlag(flags, 'samples', 3)
  if (!Number.isSafeInteger(samples) || samples < 1 || samples > LIMITS.gradcheckSamples) {
    throw new UsageError(`--samples: must be a whole number from 1 to ${LIMITS.gradcheckSamples}, got ${JSON.stringify(stringFlag(flags, 'samples'))}`)
  }
  trainConfigFromFlags(flags, 784, 10)
  const data = await openDataset(stringFlag(flags, 'data'), out, json)
  const { network, seed } = trainConfigFromFlags(flags, data.rows * data.cols, data.classes)
  checkMemoryBudget(estimateGradCheckBytes(network, Math.min(samples, data.train.count), datasetDims(data)), 'samples')
  const service = new TrainingService(new WorkerPool({ size: 1, dataset: data }))
  try {
    const onProgress = (done: number, total: number) => { if (!json) out.status(`gradient check: ${done}/${total} parameters`) }
    const result = await service.gradientCheck({ network, seed, samples }, onProgress)
    out.status('')
    if (json) {
      const params = Object.fromEntries(result.params.map((p) => [p.name, { meanAbs: p.meanAbs, maxAbs: p.maxAbs, maxRel: p.maxRel, kinks: p.kinks }]))
      out.line(JSON.stringify({ event: 'gradcheck', params, seconds: result.seconds }))
      return
    }
    out.line(`Gradient check on ${samples} training image(s) of ${data.name}, seed ${seed}, h = 1e-4 (${result.seconds.toFixed(2)} s)`)
    out.line('param      shape     mean |Δ|      max |Δ|   max rel err  kinks')
    for (const p of result.params) {
      out.line(`${p.name.padEnd(6)} ${`[${p.shape.join(',')}]`.padStart(9)} ${p.meanAbs.toExponential(2).padStart(12)} ${p.maxAbs.toExponential(2).padStart(12)} ${p.maxRel.toExponential(2).padStart(13)} ${String(p.kinks).padStart(6)}`)
    }
    const kinks = result.params.reduce((n, p) => n + p.kinks, 0)
    if (kinks > 0) out.line(`${kinks} element(s) left out: a ±h step moved a ReLU input across 0, where the numerical gradient is meaningless.`)
  } finally {
    await service.dispose()
  }
}
