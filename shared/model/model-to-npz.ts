import { encodeNpy } from './npy'
import { zipNpz } from './npz'
import { NPZ_CONFIG_ENTRY, NPZ_CONFIG_FORMAT } from './npz-config-schema'
import type { ModelFile } from './model-file'

/**
 * The model as an .npz NumPy loads: `W1.npy`, `b1.npy`, … in the book's names and shapes
 * (W (in, out), b (out,); with Batch Normalization gammaK, betaK, runningMeanK, runningVarK (out,)),
 * float64 in C order, and `config.json` with the network, training and summary, so
 *   npz = np.load(f); params = {k: npz[k] for k in npz.files if k != 'config.json'}
 * gives the book's TwoLayerNet its params. The bytes are bit for bit the model's.
 */
export function modelToNpz(model: ModelFile): Uint8Array {
  const entries: Record<string, Uint8Array> = {}
  for (const p of model.params) entries[`${p.name}.npy`] = encodeNpy({ shape: p.shape, data: p.data })
  const { network: n, training: t, summary: s } = model
  const config = {
    format: NPZ_CONFIG_FORMAT,
    version: 1,
    savedAt: model.savedAt,
    network: { inputSize: n.inputSize, hiddenSizes: [...n.hiddenSizes], outputSize: n.outputSize, activation: n.activation, weightInit: n.weightInit, batchnorm: n.batchnorm ?? false },
    training: {
      iters: t.iters, batchSize: t.batchSize, lr: t.lr, seed: t.seed, evalEvery: t.evalEvery, evalSamples: t.evalSamples,
      sampling: t.sampling, optimizer: t.optimizer ?? { kind: 'sgd' }, weightDecay: t.weightDecay ?? 0, dropout: t.dropout ?? 0,
    },
    summary: { iterations: s.iterations, loss: s.loss, trainAcc: s.trainAcc, testAcc: s.testAcc, dataset: { name: s.dataset.name, fingerprint: s.dataset.fingerprint } },
  }
  entries[NPZ_CONFIG_ENTRY] = new TextEncoder().encode(`${JSON.stringify(config, null, 2)}\n`)
  return zipNpz(entries, validDate(model.savedAt))
}

/** Zip stores DOS times, 1980 to 2099 in fflate; anything else dates the entries 1980-01-01. */
function validDate(iso: string): Date {
  const d = new Date(iso)
  const y = d.getUTCFullYear()
  return Number.isFinite(d.getTime()) && y >= 1980 && y <= 2099 ? d : new Date(Date.UTC(1980, 0, 1))
}
