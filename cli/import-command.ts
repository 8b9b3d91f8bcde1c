import { importNpzFile } from '../electron/services/model-interchange'
import { saveModel } from '../electron/services/model-store'
import { TrainingService } from '../electron/services/training-service'
import { WorkerPool } from '../electron/services/worker-pool'
import { UsageError } from '../shared/command-line/usage-error'
import { parseFlags, stringFlag } from '../shared/command-line/parse-flags'
import { checkWritable } from './check-writable'
import { openDataset } from './open-dataset'
import type { Output } from './output'

export const IMPORT_FLAGS = { npz: 'string', save: 'string', data: 'string', json: 'boolean' } as const

/**
 * `import`: a model from an .npz of the book's arrays (np.savez of TwoLayerNet.params, or an
 * `train --export-npz` file), evaluated on the dataset when it fits, and saved with --save.
 */
export async function importCommand(argv: readonly string[], out: Output): Promise<void> {
  const flags = parseFlags(argv, IMPORT_FLAGS)
  const json = flags.has('json')
  const npz = stringFlag(flags, 'npz')
  if (npz === undefined) throw new UsageError('--npz: required (an .npz of W1, b1, W2, b2, … as np.savez writes them)')
  const savePath = flags.has('save') ? await checkWritable(stringFlag(flags, 'save')!, '--save') : undefined
  const { model, notes } = await importNpzFile(npz)
  const n = model.network
  const label = `${[n.inputSize, ...n.hiddenSizes, n.outputSize].join('-')} ${n.activation}${n.batchnorm ? ' with Batch Normalization' : ''}`
  if (!json) {
    out.line(`Imported ${label} from ${npz}`)
    for (const note of notes) out.line(`note: ${note}`)
  }
  const data = await openDataset(stringFlag(flags, 'data'), out, json)
  if (n.inputSize === data.rows * data.cols && n.outputSize >= data.classes) {
    const service = new TrainingService(new WorkerPool({ size: 1, dataset: data }))
    try {
      const acc = await service.evaluate({ network: n, params: model.params, evalSamples: 0 })
      model.summary = { ...model.summary, ...acc, dataset: { name: data.name, fingerprint: data.fingerprint } }
    } finally {
      await service.dispose()
    }
    if (!json) out.line(`train accuracy ${model.summary.trainAcc.toFixed(4)}, test accuracy ${model.summary.testAcc.toFixed(4)} on ${data.name}`)
  } else {
    notes.push(`not evaluated: a ${label} network does not fit ${data.name} (${data.rows * data.cols} pixels, ${data.classes} classes)`)
    if (!json) out.line(`note: ${notes.at(-1)}`)
  }
  if (savePath) {
    await saveModel(savePath, model)
    if (!json) out.line(`Saved ${savePath}`)
  }
  if (json) {
    const s = model.summary
    out.line(JSON.stringify({ event: 'import', network: n, trainAcc: s.trainAcc, testAcc: s.testAcc, notes, saved: savePath ?? null }))
  }
}
