/**
 * Draws build/icon.png (512×512 RGBA): a small three-layer network on a rounded indigo square.
 * Run once with `npx tsx scripts/make-icon.ts`; the PNG is committed. Shapes are drawn with
 * signed distances, so their edges are anti-aliased without supersampling.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deflateSync } from 'node:zlib'

const SIZE = 512
type Rgb = readonly [number, number, number]

/** Premultiplied-free RGBA canvas with "source over" blending. */
class Canvas {
  readonly px = new Float64Array(SIZE * SIZE * 4)

  /** Blends `color` at `alpha` × coverage(x, y) into every pixel where coverage > 0. */
  paint(color: Rgb, alpha: number, coverage: (x: number, y: number) => number, box = { x0: 0, y0: 0, x1: SIZE, y1: SIZE }): void {
    for (let y = Math.max(0, Math.floor(box.y0)); y < Math.min(SIZE, Math.ceil(box.y1)); y++) {
      for (let x = Math.max(0, Math.floor(box.x0)); x < Math.min(SIZE, Math.ceil(box.x1)); x++) {
        const a = alpha * coverage(x + 0.5, y + 0.5)
        if (a <= 0) continue
        const i = (y * SIZE + x) * 4
        const dstA = this.px[i + 3]
        const outA = a + dstA * (1 - a)
        for (let c = 0; c < 3; c++) this.px[i + c] = (color[c] * a + this.px[i + c] * dstA * (1 - a)) / outA
        this.px[i + 3] = outA
      }
    }
  }

  rgba(): Uint8Array {
    return Uint8Array.from(this.px, (v) => Math.round(Math.max(0, Math.min(1, v)) * 255))
  }
}

/** Coverage of a pixel whose centre is `d` from a shape's edge (negative inside). */
const cover = (d: number): number => Math.max(0, Math.min(1, 0.5 - d))

function roundedSquare(x: number, y: number, inset: number, radius: number): number {
  const half = SIZE / 2 - inset
  const qx = Math.abs(x - SIZE / 2) - (half - radius)
  const qy = Math.abs(y - SIZE / 2) - (half - radius)
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0))
  return outside + Math.min(Math.max(qx, qy), 0) - radius
}

function segmentDistance(x: number, y: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax
  const dy = by - ay
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy))
}

function draw(): Uint8Array {
  const canvas = new Canvas()
  const top: Rgb = [0.31, 0.27, 0.9]
  const bottom: Rgb = [0.49, 0.23, 0.93]
  // background: a vertical gradient, one row colour at a time
  for (let row = 0; row < SIZE; row++) {
    const t = row / (SIZE - 1)
    const color: Rgb = [0, 1, 2].map((c) => top[c] + (bottom[c] - top[c]) * t) as unknown as Rgb
    canvas.paint(color, 1, (x, y) => cover(roundedSquare(x, y, 16, 100)), { x0: 0, y0: row, x1: SIZE, y1: row + 1 })
  }

  const layers = [
    { x: 136, ys: [146, 256, 366] },
    { x: 256, ys: [110, 210, 302, 402] },
    { x: 376, ys: [196, 316] },
  ]
  const white: Rgb = [1, 1, 1]
  for (let l = 0; l + 1 < layers.length; l++) {
    for (const ay of layers[l].ys) {
      for (const by of layers[l + 1].ys) {
        const ax = layers[l].x
        const bx = layers[l + 1].x
        canvas.paint(white, 0.45, (x, y) => cover(segmentDistance(x, y, ax, ay, bx, by) - 4), {
          x0: Math.min(ax, bx) - 6, y0: Math.min(ay, by) - 6, x1: Math.max(ax, bx) + 6, y1: Math.max(ay, by) + 6,
        })
      }
    }
  }
  const accent: Rgb = [0.98, 0.75, 0.2]
  for (const [l, layer] of layers.entries()) {
    for (const cy of layer.ys) {
      const cx = layer.x
      const box = { x0: cx - 34, y0: cy - 34, x1: cx + 34, y1: cy + 34 }
      canvas.paint(white, 1, (x, y) => cover(Math.hypot(x - cx, y - cy) - 30), box)
      // the output layer is highlighted: what backpropagation starts from
      canvas.paint(l === layers.length - 1 ? accent : top, 1, (x, y) => cover(Math.hypot(x - cx, y - cy) - 17), box)
    }
  }
  return canvas.rgba()
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Uint8Array): Buffer {
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  typed.copy(out, 4)
  out.writeUInt32BE(crc32(typed), 8 + data.length)
  return out
}

/** PNG (RFC 2083): 8-bit RGBA, no interlace, filter type 0 on every scanline. */
export function encodePng(rgba: Uint8Array, width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 6 // colour type: truecolour with alpha
  const raw = Buffer.alloc(height * (1 + width * 4))
  for (let y = 0; y < height; y++) {
    raw[y * (1 + width * 4)] = 0
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (1 + width * 4) + 1)
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ])
}

const target = fileURLToPath(new URL('../build/icon.png', import.meta.url))
await mkdir(dirname(target), { recursive: true })
await writeFile(target, encodePng(draw(), SIZE, SIZE))
process.stdout.write(`wrote ${target}\n`)
