import type { Dataset } from '../../shared/data/dataset'
import { fillBatch } from '../../shared/data/fill-batch'
import { buggyGradient } from '../../shared/engine/buggy-gradient'
import { gradientCheck } from '../../shared/engine/gradient-check'
import { zeros } from '../../shared/engine/matrix'
import { MultiLayerNet } from '../../shared/engine/multi-layer-net'
import { Random } from '../../shared/engine/random'
import { GRADCHECK_ELEMENTS, GRADCHECK_LISTED, type GradCheckRequest, type GradCheckResult } from '../../shared/training-events'

/**
 * One gradient-check job on the first `samples` training images. The only caller of
 * buggyGradient: a requested bug lives in this job's network and dies with it.
 */
export function runGradientCheck(d: Dataset, req: GradCheckRequest, onProgress?: (done: number, total: number) => void, shouldStop?: () => boolean): GradCheckResult {
  const t0 = performance.now()
  const net = new MultiLayerNet(req.network, new Random(req.seed))
  if (req.params) net.importParams(req.params)
  const n = Math.min(req.samples, d.train.count)
  const x = zeros(n, req.network.inputSize)
  const t = new Int32Array(n)
  fillBatch(d.train, null, 0, x, t)
  const bug = req.bug
  const params = gradientCheck(net, x, t, {
    onProgress,
    shouldStop,
    ...(bug ? { gradient: (nn, xx, tt) => buggyGradient(nn, xx, tt, bug) } : {}),
    ...(req.detail ? { keepElements: GRADCHECK_ELEMENTS, worst: GRADCHECK_LISTED } : {}),
  })
  return {
    params,
    seconds: (performance.now() - t0) / 1000,
    ...(bug ? { bug } : {}),
    ...(req.detail ? { image: [d.rows, d.cols] as [number, number] } : {}),
  }
}
