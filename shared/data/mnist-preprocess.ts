/** MNIST's images are 28×28, with each digit fitted into a 20×20 box inside them. */
export const MNIST_SIDE = 28
export const MNIST_BOX = 20
export const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE

/**
 * A drawing turned into a 28×28 image the way LeCun et al. normalised NIST's digits for MNIST:
 * 1. crop to the bounding box of the ink;
 * 2. scale so that the longer side is 20 pixels, keeping the aspect ratio;
 * 3. place it in 28×28 with its centre of mass at the centre, (14, 14) in pixel-edge coordinates.
 * Steps 2 and 3 are one area resampling: each output pixel is the mean ink of the part of the
 * drawing it covers, so strokes come out anti-aliased, and the sub-pixel shift of step 3 is exact.
 *
 * ink: width × height values in [0, 1], row-major (0 paper, 1 ink). Returns 784 bytes 0–255,
 * as the dataset stores its images (the trainer scales them by 1/255), or null with no ink.
 */
export function mnistPreprocess(ink: ArrayLike<number>, width: number, height: number): Uint8Array | null {
  if (ink.length !== width * height) throw new RangeError(`mnistPreprocess: expected ${width * height} values for ${width}×${height}, got ${ink.length}`)
  let x0 = width, y0 = height, x1 = -1, y1 = -1
  let mass = 0, mx = 0, my = 0
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = ink[y * width + x]
      if (!(v > 0)) continue
      if (x < x0) x0 = x
      if (x > x1) x1 = x
      if (y < y0) y0 = y
      if (y > y1) y1 = y
      mass += v
      mx += v * (x + 0.5)
      my += v * (y + 0.5)
    }
  }
  if (x1 < 0) return null
  const boxW = x1 - x0 + 1, boxH = y1 - y0 + 1
  const s = MNIST_BOX / Math.max(boxW, boxH)
  // where the box's top-left corner lands so that the centre of mass lands on (14, 14)
  const ox = MNIST_SIDE / 2 - (mx / mass - x0) * s
  const oy = MNIST_SIDE / 2 - (my / mass - y0) * s
  const cols = coverage(x0, boxW, ox, s)
  const rows = coverage(y0, boxH, oy, s)
  const out = new Uint8Array(MNIST_PIXELS)
  const across = new Float64Array(MNIST_SIDE)
  for (let i = 0; i < MNIST_SIDE; i++) {
    const r = rows[i]
    if (!r.length) continue
    across.fill(0)
    for (const [y, wy] of r) {
      const line = y * width
      for (let j = 0; j < MNIST_SIDE; j++) {
        let sum = 0
        for (const [x, wx] of cols[j]) sum += wx * ink[line + x]
        across[j] += wy * sum
      }
    }
    // the weights are lengths in drawing pixels; an output pixel covers (1/s)² of them
    for (let j = 0; j < MNIST_SIDE; j++) out[i * MNIST_SIDE + j] = Math.round(Math.min(1, Math.max(0, across[j] * s * s)) * 255)
  }
  return out
}

/**
 * For each of the 28 output pixels along one axis, the drawing's pixels it covers and by how
 * much (a length in drawing pixels): output pixel k spans [k, k + 1], which is drawing
 * coordinate start + (k − offset)/s … start + (k + 1 − offset)/s, clipped to the box.
 */
function coverage(start: number, length: number, offset: number, s: number): [number, number][][] {
  const out: [number, number][][] = []
  for (let k = 0; k < MNIST_SIDE; k++) {
    const a = Math.max(0, (k - offset) / s), b = Math.min(length, (k + 1 - offset) / s)
    const spans: [number, number][] = []
    for (let p = Math.floor(a); p < b; p++) {
      const w = Math.min(b, p + 1) - Math.max(a, p)
      if (w > 0) spans.push([start + p, w])
    }
    out.push(spans)
  }
  return out
}
