import { describe, expect, it } from 'vitest'
import { MNIST_PIXELS, MNIST_SIDE, mnistPreprocess } from '../../../shared/data/mnist-preprocess'

const PAD = 280

/** A pad with the rectangle [x0, x1) × [y0, y1) inked at `value`. */
function pad(rects: [number, number, number, number][], value = 1, size = PAD): Float64Array {
  const ink = new Float64Array(size * size)
  for (const [x0, y0, x1, y1] of rects) {
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) ink[y * size + x] = value
  }
  return ink
}

/** Centre of mass in pixel-edge coordinates: pixel (i, j) spans [j, j + 1] × [i, i + 1]. */
function centreOfMass(img: Uint8Array): { x: number; y: number; mass: number } {
  let mass = 0, x = 0, y = 0
  for (let i = 0; i < MNIST_SIDE; i++) {
    for (let j = 0; j < MNIST_SIDE; j++) {
      const v = img[i * MNIST_SIDE + j]
      mass += v; x += v * (j + 0.5); y += v * (i + 0.5)
    }
  }
  return { x: x / mass, y: y / mass, mass }
}

/** Columns and rows holding any ink: the digit's bounding box in the output. */
function extent(img: Uint8Array): { width: number; height: number } {
  const cols = new Set<number>(), rows = new Set<number>()
  img.forEach((v, k) => { if (v > 0) { cols.add(k % MNIST_SIDE); rows.add(Math.floor(k / MNIST_SIDE)) } })
  return { width: cols.size, height: rows.size }
}

/**
 * Width and height of a solid rectangle, edge pixels counted by their share of ink:
 * the ink of all columns over that of the fullest one, and likewise for rows.
 */
function size(img: Uint8Array): { width: number; height: number } {
  const cols = new Float64Array(MNIST_SIDE), rows = new Float64Array(MNIST_SIDE)
  img.forEach((v, k) => { cols[k % MNIST_SIDE] += v; rows[Math.floor(k / MNIST_SIDE)] += v })
  const total = img.reduce((s, v) => s + v, 0)
  return { width: total / Math.max(...cols), height: total / Math.max(...rows) }
}

describe('mnistPreprocess', () => {
  it('returns null for an empty pad', () => {
    expect(mnistPreprocess(new Float64Array(PAD * PAD), PAD, PAD)).toBeNull()
  })

  it('refuses an ink array of the wrong size', () => {
    expect(() => mnistPreprocess(new Float64Array(10), 4, 4)).toThrow(/expected 16 values for 4×4, got 10/)
  })

  it('puts a vertical stroke 20 pixels tall at the centre, its centre of mass at (14, 14)', () => {
    // a stroke drawn off to the left and low: cropping and centring must undo that
    const img = mnistPreprocess(pad([[40, 120, 60, 260]]), PAD, PAD)!
    expect(img).toHaveLength(MNIST_PIXELS)
    const c = centreOfMass(img)
    expect(Math.abs(c.x - 14)).toBeLessThanOrEqual(0.5)
    expect(Math.abs(c.y - 14)).toBeLessThanOrEqual(0.5)
    // 140 tall, 20 wide: scaled by 20/140 it is 20 × 2.86 pixels
    const e = extent(img)
    expect(e.height).toBe(20)
    expect(e.width).toBeGreaterThanOrEqual(3)
    expect(e.width).toBeLessThanOrEqual(4)
  })

  it('keeps the aspect ratio: the longer side becomes 20 pixels, the shorter in proportion', () => {
    const wide = size(mnistPreprocess(pad([[10, 100, 210, 150]]), PAD, PAD)!)
    expect(wide.width).toBeCloseTo(20, 1)
    expect(wide.height).toBeCloseTo(5, 1)
    const tall = size(mnistPreprocess(pad([[100, 10, 150, 210]]), PAD, PAD)!)
    expect(tall.width).toBeCloseTo(5, 1)
    expect(tall.height).toBeCloseTo(20, 1)
  })

  it('keeps the ink: a full stroke sums to its area scaled by (20/side)², in bytes', () => {
    const img = mnistPreprocess(pad([[100, 10, 150, 210]]), PAD, PAD)!
    const total = img.reduce((s, v) => s + v, 0)
    const expected = 50 * 200 * (20 / 200) ** 2 * 255
    expect(Math.abs(total - expected) / expected).toBeLessThan(0.01)
  })

  it('anti-aliases: a shift by a fraction of a pixel leaves grey edges, never more than full ink', () => {
    // width 21 scaled by 20/140: the edges fall inside output pixels
    const img = mnistPreprocess(pad([[100, 70, 121, 210]]), PAD, PAD)!
    const grey = img.filter((v) => v > 0 && v < 255).length
    expect(grey).toBeGreaterThan(0)
    expect(Math.max(...img)).toBeLessThanOrEqual(255)
  })

  it('scales faint ink linearly, as the bytes the dataset stores', () => {
    const full = mnistPreprocess(pad([[100, 10, 150, 210]], 1), PAD, PAD)!
    const half = mnistPreprocess(pad([[100, 10, 150, 210]], 0.5), PAD, PAD)!
    expect(Math.max(...full)).toBe(255)
    expect(Math.max(...half)).toBe(128)
  })

  it('centres by mass, not by box: an L has its centre of mass at (14, 14), its box off centre', () => {
    const img = mnistPreprocess(pad([[60, 20, 80, 240], [60, 220, 200, 240]]), PAD, PAD)!
    const c = centreOfMass(img)
    expect(Math.abs(c.x - 14)).toBeLessThanOrEqual(0.5)
    expect(Math.abs(c.y - 14)).toBeLessThanOrEqual(0.5)
    // the box spans 20 rows; with the mass low, more of it lies above row 14 than below
    const rows = [...img.keys()].filter((k) => img[k] > 0).map((k) => Math.floor(k / MNIST_SIDE))
    expect(14 - Math.min(...rows)).toBeGreaterThan(Math.max(...rows) + 1 - 14)
  })

  it('accepts any pad size: a non-square pad gives the same 28×28 for the same shape', () => {
    const square = mnistPreprocess(pad([[40, 120, 60, 260]]), PAD, PAD)!
    const w = 400, h = 300
    const ink = new Float64Array(w * h)
    for (let y = 130; y < 270; y++) for (let x = 300; x < 320; x++) ink[y * w + x] = 1
    expect(Array.from(mnistPreprocess(ink, w, h)!)).toEqual(Array.from(square))
  })
})
