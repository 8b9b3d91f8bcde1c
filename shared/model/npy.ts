import { NpzError } from './npz-error'

/** What the app reads and writes: C-order little-endian float64, NumPy's default array. */
export const NPY_DESCR = '<f8'
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59] // \x93NUMPY
/** numpy pads the header so the data starts on a 64-byte boundary. */
const ALIGN = 64
/** numpy.lib.format refuses larger headers by default (max_header_size). */
const MAX_HEADER = 10_000

/** One array of an .npy file: shape as NumPy gives it ((50,) is [50], () is []), values in C order. */
export interface NpyArray {
  shape: number[]
  data: Float64Array
}

/**
 * The .npy format, version 1.0: magic, version, header length (uint16 LE), then a Python dict
 * literal `{'descr': '<f8', 'fortran_order': False, 'shape': (784, 50), }` padded with spaces
 * and a newline to a multiple of 64 bytes, then the values.
 */
export function encodeNpy(array: NpyArray): Uint8Array {
  const size = array.shape.reduce((a, b) => a * b, 1)
  if (size !== array.data.length) throw new RangeError(`encodeNpy: shape (${array.shape.join(', ')}) holds ${size} values, data has ${array.data.length}`)
  const shape = array.shape.length === 1 ? `(${array.shape[0]},)` : `(${array.shape.join(', ')})`
  const dict = `{'descr': '${NPY_DESCR}', 'fortran_order': False, 'shape': ${shape}, }`
  const unpadded = MAGIC.length + 4 + dict.length + 1
  const headerLength = dict.length + 1 + ((ALIGN - (unpadded % ALIGN)) % ALIGN)
  const out = new Uint8Array(MAGIC.length + 4 + headerLength + size * 8)
  out.set(MAGIC)
  out[6] = 1
  out[7] = 0
  const view = new DataView(out.buffer)
  view.setUint16(8, headerLength, true)
  const header = `${dict.padEnd(headerLength - 1, ' ')}\n`
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i)
  const start = 10 + headerLength
  for (let i = 0; i < size; i++) view.setFloat64(start + i * 8, array.data[i], true)
  return out
}

/**
 * An .npy array of little-endian float64 in C order, versions 1.0 to 3.0. Anything else is
 * refused with what it is and what to do in NumPy: float32, big-endian, Fortran order, object
 * or structured arrays. `source` and `entry` name the file and the array in messages.
 */
export function decodeNpy(bytes: Uint8Array, source: string, entry: string, maxValues = Number.MAX_SAFE_INTEGER): NpyArray {
  const fail = (problem: string): never => { throw new NpzError(source, entry, problem) }
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) fail('not a NumPy .npy array (no \\x93NUMPY magic)')
  const major = bytes[6]
  if (major < 1 || major > 3) fail(`unsupported .npy format version ${major}.${bytes[7]} (this app reads 1.0 to 3.0)`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const lengthBytes = major === 1 ? 2 : 4
  if (bytes.length < 8 + lengthBytes) fail('the .npy header is cut short')
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true)
  const start = 8 + lengthBytes
  if (headerLength > MAX_HEADER) fail(`the .npy header is ${headerLength} bytes (at most ${MAX_HEADER})`)
  if (start + headerLength > bytes.length) fail('the .npy header is cut short')
  const raw = bytes.subarray(start, start + headerLength)
  let text = ''
  if (major === 3) {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(raw)
    } catch {
      fail('the .npy header is not valid UTF-8')
    }
  } else {
    for (const b of raw) text += String.fromCharCode(b)
  }
  const header = parseHeader(text) ?? fail('the .npy header is not a dict of descr, fortran_order and shape')
  const { descr, fortranOrder, shape } = header
  if (descr !== NPY_DESCR) fail(describeDtype(descr, entry))
  if (fortranOrder) fail(`is in Fortran order; save np.ascontiguousarray(${entry || 'a'}) instead`)
  let size = 1
  for (const d of shape) {
    size *= d
    if (size > maxValues) fail(`shape ${shapeTuple(shape)} is too large (at most ${maxValues} values)`)
  }
  const dataStart = start + headerLength
  if (bytes.length - dataStart !== size * 8) {
    fail(`shape ${shapeTuple(shape)} needs ${size * 8} bytes of data, the array has ${bytes.length - dataStart}`)
  }
  const data = new Float64Array(size)
  for (let i = 0; i < size; i++) data[i] = view.getFloat64(dataStart + i * 8, true)
  return { shape, data }
}

/** A shape as NumPy prints it: (784, 50), (50,) or (). */
export function shapeTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`
}

/** What a dtype other than '<f8' is, and the NumPy call that makes it '<f8'. */
function describeDtype(descr: string | null, entry: string): string {
  const a = entry || 'a'
  if (descr === null) return 'is a structured array (a list of named fields); save a plain float64 array'
  const m = /^([<>|=])([a-zA-Z])(\d*)$/.exec(descr)
  if (!m) return 'has an unsupported dtype; save it as float64'
  const [, order, kind, size] = m
  if (kind === 'O') return `is an array of Python objects ('${descr}'), which needs pickle; save a float64 array`
  if (kind === 'f' && size === '8' && order === '>') return `is big-endian float64 ('${descr}'); save ${a}.astype('<f8')`
  if (kind === 'f') return `is float${Number(size) * 8} ('${descr}'), not float64; save ${a}.astype(np.float64)`
  return `has dtype '${descr}', not float64 ('<f8'); save ${a}.astype(np.float64)`
}

interface Header {
  /** null for a structured dtype (a list of fields). */
  descr: string | null
  fortranOrder: boolean
  shape: number[]
}

/**
 * The header dict, a Python literal: string keys and values, True/False, tuples of ints, and
 * (for structured dtypes) a list, which is only recognised, not read. Null when it is anything else.
 */
function parseHeader(text: string): Header | null {
  let i = 0
  const ws = () => { while (i < text.length && /\s/.test(text[i])) i++ }
  const eat = (c: string) => { ws(); if (text[i] !== c) return false; i++; return true }
  const str = (): string | null => {
    ws()
    const q = text[i]
    if (q !== "'" && q !== '"') return null
    const end = text.indexOf(q, i + 1)
    if (end < 0) return null
    const s = text.slice(i + 1, end)
    i = end + 1
    return s
  }
  const int = (): number | null => {
    ws()
    const m = /^\d+L?/.exec(text.slice(i, i + 24))
    if (!m) return null
    i += m[0].length
    const n = Number(m[0].replace('L', ''))
    return Number.isSafeInteger(n) ? n : null
  }
  const value = (): unknown => {
    ws()
    if (text.startsWith('True', i)) { i += 4; return true }
    if (text.startsWith('False', i)) { i += 5; return false }
    if (text[i] === '(') {
      i++
      const dims: number[] = []
      while (!eat(')')) {
        const n = int()
        if (n === null) return undefined
        dims.push(n)
        if (!eat(',')) { if (!eat(')')) return undefined; return dims }
      }
      return dims
    }
    if (text[i] === '[') {
      // a structured dtype's field list: skip to its matching bracket
      let depth = 0
      for (; i < text.length; i++) {
        if (text[i] === '[') depth++
        else if (text[i] === ']' && --depth === 0) { i++; return null }
      }
      return undefined
    }
    return str() ?? undefined
  }
  if (!eat('{')) return null
  const fields = new Map<string, unknown>()
  while (!eat('}')) {
    const key = str()
    if (key === null || !eat(':') || fields.has(key)) return null
    const v = value()
    if (v === undefined) return null
    fields.set(key, v)
    if (!eat(',')) { if (!eat('}')) return null; break }
  }
  ws()
  if (i !== text.length || fields.size !== 3) return null
  const descr = fields.get('descr'), fortranOrder = fields.get('fortran_order'), shape = fields.get('shape')
  if (!(typeof descr === 'string' || descr === null) || typeof fortranOrder !== 'boolean' || !Array.isArray(shape)) return null
  return { descr, fortranOrder, shape }
}
