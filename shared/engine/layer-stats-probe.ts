import { deadUnitFraction, layerStats, sampleEntries, updateStride, type LayerStatsSample } from './layer-stats'
import type { MultiLayerNet } from './multi-layer-net'
import { Relu } from './relu'

/** A sample is due at most this often (4 a second): enough for a chart, nothing for a run. */
export const LAYER_STATS_MS = 250

/** A sample may take at most 1/BUDGET of the time: after one that cost t ms, the next waits BUDGET·t ms at least. */
const BUDGET = 50

/**
 * Samples LayerStats around a training step now and then: `before` copies the entries of each
 * W the update ratio needs, the step runs, `after` measures. Which steps: the first, then one
 * every LAYER_STATS_MS, or less often when a sample is costly, so that sampling takes at most
 * 2% of the time whatever the network's size.
 */
export class LayerStatsProbe {
  private next = Number.NEGATIVE_INFINITY
  private copies: Float64Array[] = []
  private started = 0
  private spent = 0

  constructor(private readonly clock: () => number = () => performance.now()) {}

  /** Whether the coming step should be sampled. */
  due(): boolean {
    return this.clock() >= this.next
  }

  /** Before the step: keeps the entries of every W its update ratio needs. */
  before(net: MultiLayerNet): void {
    this.started = this.clock()
    this.copies = net.affines.map((a, k) => {
      const w = a.W.data, stride = updateStride(w.length)
      const copy = this.copies[k]?.length === Math.ceil(w.length / stride) ? this.copies[k] : new Float64Array(Math.ceil(w.length / stride))
      sampleEntries(w, stride, copy)
      return copy
    })
    this.spent = this.clock() - this.started
  }

  /** After the step that completed iteration `iter`: the statistics of every layer. */
  after(net: MultiLayerNet, iter: number): LayerStatsSample {
    const t0 = this.clock()
    const relus = net.layers.filter((l): l is Relu => l instanceof Relu)
    const layers = net.affines.map((a, k) => {
      const relu = relus[k]
      const units = a.W.cols
      const dead = relu && k < net.affines.length - 1 && relu.mask.length ? deadUnitFraction(relu.mask, relu.mask.length / units, units) : null
      return layerStats(`W${k + 1}`, a.W, a.dW, this.copies[k], updateStride(a.W.data.length), dead)
    })
    const now = this.clock()
    this.spent += now - t0
    this.next = now + Math.max(LAYER_STATS_MS, BUDGET * this.spent)
    return { iter, layers }
  }
}
