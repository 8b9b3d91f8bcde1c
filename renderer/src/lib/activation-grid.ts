/** One layer's activations as a grayscale image: a near-square grid of cells, one per unit. */
export interface ActivationGrid {
  rows: number
  cols: number
  /** rows × cols bytes; a cell past the last unit stays 0. */
  bytes: Uint8Array
  /** The activation drawn at full ink: the layer's largest (at least 1e-12, so all zeros stay blank). */
  scale: number
}

/**
 * Activations scaled so the layer's largest is 255: ReLU outputs have no upper bound, and what
 * the eye wants is which units fire most. Negative values (none after ReLU or sigmoid) show as 0.
 */
export function activationGrid(values: readonly number[]): ActivationGrid {
  const n = values.length
  const cols = Math.max(1, Math.ceil(Math.sqrt(n)))
  const rows = Math.max(1, Math.ceil(n / cols))
  const scale = Math.max(1e-12, ...values)
  const bytes = new Uint8Array(rows * cols)
  values.forEach((v, i) => { bytes[i] = Math.round(Math.min(1, Math.max(0, v / scale)) * 255) })
  return { rows, cols, bytes, scale }
}
