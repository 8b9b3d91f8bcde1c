import { layerSizes, type NetworkConfig, type WeightInit } from '../../../shared/engine/network-config'

/** "784-50-10 ReLU" */
export function networkLabel(network: NetworkConfig): string {
  return `${layerSizes(network).join('-')} ${network.activation === 'relu' ? 'ReLU' : 'Sigmoid'}`
}

export function weightInitLabel(init: WeightInit): string {
  if (init.kind === 'std') return `N(0, ${init.std}²)`
  return init.kind === 'xavier' ? 'Xavier' : 'He'
}

/** Weights plus biases: Σ (in·out + out) over the Affine layers. */
export function parameterCount(network: NetworkConfig): number {
  const sizes = layerSizes(network)
  let n = 0
  for (let k = 1; k < sizes.length; k++) n += sizes[k - 1] * sizes[k] + sizes[k]
  return n
}
