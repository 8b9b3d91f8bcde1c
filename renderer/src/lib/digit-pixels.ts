export type Rgb = readonly [number, number, number]

/**
 * RGBA pixels of one grayscale image: intensity 0 is paper, 255 is ink, linear in between.
 * `offset` is where the image starts in `bytes` (rows·cols bytes per image).
 */
export function digitPixels(bytes: Uint8Array, offset: number, rows: number, cols: number, ink: Rgb, paper: Rgb): Uint8ClampedArray<ArrayBuffer> {
  const n = rows * cols
  const out = new Uint8ClampedArray(n * 4)
  for (let i = 0; i < n; i++) {
    const a = (bytes[offset + i] ?? 0) / 255
    out[4 * i] = paper[0] + (ink[0] - paper[0]) * a
    out[4 * i + 1] = paper[1] + (ink[1] - paper[1]) * a
    out[4 * i + 2] = paper[2] + (ink[2] - paper[2]) * a
    out[4 * i + 3] = 255
  }
  return out
}
