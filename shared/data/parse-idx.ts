import { isGzip } from './gzip'
import { IdxFormatError } from './idx-format-error'

/**
 * IDX layout: magic `00 00 <type> <ndim>`, then ndim big-endian u32 dimensions,
 * then prod(dims) elements in row-major order. Only type 0x08 (unsigned byte) is accepted.
 */
const UBYTE = 0x08

const IDX_TYPES: ReadonlyMap<number, string> = new Map([
  [0x08, 'unsigned byte'],
  [0x09, 'int8'],
  [0x0b, 'int16'],
  [0x0c, 'int32'],
  [0x0d, 'float32'],
  [0x0e, 'float64'],
])

export interface IdxImages {
  count: number
  rows: number
  cols: number
  /** count × rows × cols bytes, a view into the input (no copy). */
  images: Uint8Array
}

export interface IdxLabels {
  count: number
  /** count bytes, a view into the input (no copy). */
  labels: Uint8Array
}

/** Images file: magic 0x00000803, dims (count, rows, cols). */
export function parseIdxImages(bytes: Uint8Array, file: string): IdxImages {
  const { dims, data } = parseUbyteIdx(bytes, file, 3)
  const [count, rows, cols] = dims
  if (rows === 0 || cols === 0) {
    throw new IdxFormatError(file, `images have no pixels: size ${rows}×${cols}`)
  }
  return { count, rows, cols, images: data }
}

/** Labels file: magic 0x00000801, dims (count). With `classes`, every label must be < classes. */
export function parseIdxLabels(bytes: Uint8Array, file: string, classes?: number): IdxLabels {
  const { dims, data } = parseUbyteIdx(bytes, file, 1)
  if (classes !== undefined) checkLabelRange(data, file, classes)
  return { count: dims[0], labels: data }
}

/** Throws on the first label ≥ classes, naming its index and value. */
export function checkLabelRange(labels: Uint8Array, file: string, classes: number): void {
  if (!Number.isSafeInteger(classes) || classes < 1) {
    throw new RangeError(`${file}: classes must be a positive integer, got ${classes}`)
  }
  // A ubyte label is at most 255, so classes > 255 admits every label.
  if (classes > 255) return
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= classes) {
      throw new IdxFormatError(
        file,
        `label out of range: label ${labels[i]} at index ${i} is not in [0, ${classes})`,
      )
    }
  }
}

/** Bytes of the longest header idxByteLength needs: magic + 3 dimensions. */
export const IDX_HEADER_PEEK = 16

/**
 * The whole file's length that an unsigned-byte IDX header declares (header + prod(dims)),
 * read from the first bytes alone, so a loader can refuse a set too large before reading it.
 * null when `head` does not start with a complete header of 1 to 3 dimensions.
 */
export function idxByteLength(head: Uint8Array): number | null {
  if (head.length < 4 || head[0] !== 0 || head[1] !== 0 || head[2] !== UBYTE) return null
  const ndim = head[3]
  const headerBytes = 4 + 4 * ndim
  if (ndim < 1 || ndim > 3 || head.length < headerBytes) return null
  const view = new DataView(head.buffer, head.byteOffset, headerBytes)
  let elements = 1
  for (let d = 0; d < ndim; d++) elements *= view.getUint32(4 + 4 * d)
  return headerBytes + elements
}

function parseUbyteIdx(bytes: Uint8Array, file: string, ndim: number): { dims: number[]; data: Uint8Array } {
  const headerBytes = 4 + 4 * ndim
  if (bytes.length < 4) {
    throw new IdxFormatError(file, `truncated header: expected ${headerBytes} bytes, got ${bytes.length}`)
  }

  // The caller may pass a Node Buffer, which is often a slice of a shared pool: honour byteOffset.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const magic = view.getUint32(0)
  const expectedMagic = (UBYTE << 8) | ndim
  if (magic !== expectedMagic) {
    throw new IdxFormatError(
      file,
      `expected magic ${hex(expectedMagic, 8)}, got ${hex(magic, 8)}${explainMagic(bytes, ndim)}`,
    )
  }

  if (bytes.length < headerBytes) {
    throw new IdxFormatError(file, `truncated header: expected ${headerBytes} bytes, got ${bytes.length}`)
  }

  const dims: number[] = []
  let elements = 1
  for (let d = 0; d < ndim; d++) {
    const size = view.getUint32(4 + 4 * d)
    dims.push(size)
    // Each factor is < 2^32; once the exact product passes 2^53 - 1 the rounded one does too.
    elements *= size
  }
  if (!Number.isSafeInteger(elements)) {
    throw new IdxFormatError(file, `dimensions ${dims.join('×')} overflow: more than 2^53 - 1 elements`)
  }

  const expectedBytes = headerBytes + elements
  const layout = `${headerBytes}-byte header + ${dims.join('×')} bytes of data`
  if (bytes.length < expectedBytes) {
    throw new IdxFormatError(file, `truncated data: expected ${expectedBytes} bytes, got ${bytes.length} (${layout})`)
  }
  if (bytes.length > expectedBytes) {
    const extra = bytes.length - expectedBytes
    throw new IdxFormatError(
      file,
      `${extra} trailing byte${extra === 1 ? '' : 's'}: expected ${expectedBytes} bytes, got ${bytes.length} (${layout})`,
    )
  }

  // A plain Uint8Array view even when `bytes` is a Buffer, so callers see ordinary typed-array semantics.
  return { dims, data: new Uint8Array(bytes.buffer, bytes.byteOffset + headerBytes, elements) }
}

/** Says which part of a wrong magic is wrong. */
function explainMagic(bytes: Uint8Array, ndim: number): string {
  if (isGzip(bytes)) return ' (gzip-compressed data; decompress it first)'
  if (bytes[0] !== 0 || bytes[1] !== 0) return ' (not an IDX file: the first two bytes must be 0)'
  const type = bytes[2]
  if (type !== UBYTE) {
    const known = IDX_TYPES.get(type)
    return known === undefined
      ? `: unknown data type ${hex(type, 2)}; only 0x08 (unsigned byte) is supported`
      : `: unsupported data type ${hex(type, 2)} (${known}); only 0x08 (unsigned byte) is supported`
  }
  const actual = bytes[3]
  return `: ${actual} dimension${actual === 1 ? '' : 's'}, expected ${ndim}`
}

function hex(value: number, digits: number): string {
  return `0x${value.toString(16).toUpperCase().padStart(digits, '0')}`
}
