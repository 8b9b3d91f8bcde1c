import { Affine } from '../engine/affine'
import type { Layer } from '../engine/layer'
import { zeros, type Matrix } from '../engine/matrix'
import type { Activation, WeightInit } from '../engine/network-config'
import { Random } from '../engine/random'
import { Relu } from '../engine/relu'
import { Sigmoid } from '../engine/sigmoid'
import { initStd } from '../engine/weight-init'

/** The book's weight_init_activation_histogram.py (section 6.2.2), with its sizes as defaults. */
export interface InitLabConfig {
  weightInit: WeightInit
  activation: Activation
  seed: number
  /** Rows of the random input: 1000 in the book. */
  samples: number
  /** Units per layer: 100. */
  units: number
  /** Hidden layers: 5. */
  layers: number
  /** Histogram bins over [0, 1]: 30, as the book's plt.hist(a.flatten(), 30, range=(0, 1)). */
  bins: number
}

export const BOOK_INIT_LAB: Omit<InitLabConfig, 'weightInit' | 'activation'> = { samples: 1000, units: 100, layers: 5, bins: 30, seed: 1 }

export interface LayerActivations {
  /** counts[i]: activations in [i/bins, (i+1)/bins); the last bin also holds 1, as numpy's does. */
  counts: number[]
  /** Activations outside [0, 1], which the book's histogram leaves out (ReLU's can exceed 1). */
  outside: number
  /** Activations exactly 0: ReLU's dead outputs. */
  zeros: number
  mean: number
  std: number
}

/**
 * x ~ N(0, 1) of shape (samples, units), then per layer a = x·W with W ~ N(0, std²) (std from the
 * init, fan-in `units`; b = 0 as the book has no bias) and z = activation(a); z feeds the next
 * layer. One histogram per layer's z.
 */
export function activationHistograms(config: InitLabConfig): LayerActivations[] {
  const { samples, units, layers, bins } = config
  const rng = new Random(config.seed)
  let x: Matrix = zeros(samples, units)
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.normal()
  const std = initStd(config.weightInit, units)
  const out: LayerActivations[] = []
  for (let l = 0; l < layers; l++) {
    const W = zeros(units, units)
    for (let i = 0; i < W.data.length; i++) W.data[i] = std * rng.normal()
    const activation: Layer = config.activation === 'relu' ? new Relu() : new Sigmoid()
    x = activation.forward(new Affine(W, zeros(1, units)).forward(x))
    out.push(histogram(x.data, bins))
  }
  return out
}

function histogram(z: Float64Array, bins: number): LayerActivations {
  const counts = new Array<number>(bins).fill(0)
  let outside = 0, zeroCount = 0, sum = 0, sumSq = 0
  for (const v of z) {
    sum += v
    sumSq += v * v
    if (v === 0) zeroCount++
    if (v < 0 || v > 1) outside++
    else counts[Math.min(bins - 1, Math.floor(v * bins))]++
  }
  const mean = sum / z.length
  return { counts, outside, zeros: zeroCount, mean, std: Math.sqrt(Math.max(0, sumSq / z.length - mean * mean)) }
}
