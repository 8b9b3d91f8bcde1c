/**
 * JSON text that carries what structured clone carries between Electron's processes, so the web
 * client sees the same values as the preload: typed arrays travel as base64 of their bytes,
 * `{"$typed":"Float64Array","b64":"…"}` (bit-exact, NaN payloads included), and the numbers JSON
 * cannot spell (NaN, ±Infinity, -0) as `{"$num":"NaN"}`. Anything else that is not plain data
 * (class instances, functions, symbols, bigints, cycles) is refused rather than silently mangled.
 */
import { decodeBase64, encodeBase64 } from './model/base64'
import { FORBIDDEN_KEYS } from './schemas/forbidden-keys'

/** A value that cannot be put on the wire, or wire text that is not valid. The message names the path. */
export class WireCodecError extends Error {
  override readonly name = 'WireCodecError'
}

type TypedArray =
  | Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array
  | Int32Array | Uint32Array | Float32Array | Float64Array | BigInt64Array | BigUint64Array

interface TypedArrayConstructor {
  readonly BYTES_PER_ELEMENT: number
  new (buffer: ArrayBuffer, byteOffset?: number, length?: number): TypedArray
}

const TYPED_ARRAYS: Readonly<Record<string, TypedArrayConstructor>> = {
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array,
  Int32Array, Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array,
}

/** Bytes on the wire are little-endian whatever the host, so two hosts of either order agree. */
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

const TYPED_TAG = '$typed'
const NUMBER_TAG = '$num'

export function encodeWire(value: unknown): string {
  return JSON.stringify(toWire(value, '$', new Set()))
}

export function decodeWire(text: string): unknown {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (e) {
    throw new WireCodecError(`wire text is not JSON: ${e instanceof Error ? e.message : String(e)}`)
  }
  return fromWire(parsed, '$')
}

function toWire(value: unknown, path: string, ancestors: Set<object>): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value
    case 'number':
      if (Number.isNaN(value)) return { [NUMBER_TAG]: 'NaN' }
      if (value === Infinity) return { [NUMBER_TAG]: 'Infinity' }
      if (value === -Infinity) return { [NUMBER_TAG]: '-Infinity' }
      if (Object.is(value, -0)) return { [NUMBER_TAG]: '-0' }
      return value
    case 'undefined':
      return undefined
    case 'object':
      break
    default:
      throw new WireCodecError(`${path}: a ${typeof value} is not plain data`)
  }
  if (value === null) return null
  if (ArrayBuffer.isView(value)) return typedToWire(value, path)
  if (ancestors.has(value)) throw new WireCodecError(`${path}: a cycle cannot be encoded`)
  ancestors.add(value)
  try {
    if (Array.isArray(value)) return value.map((v, i) => toWire(v, `${path}[${i}]`, ancestors) ?? null)
    const proto: unknown = Object.getPrototypeOf(value)
    if (proto !== Object.prototype && proto !== null) {
      throw new WireCodecError(`${path}: a ${describeClass(value)} is not plain data`)
    }
    const out: Record<string, unknown> = {}
    for (const [key, v] of Object.entries(value)) {
      if (key === TYPED_TAG || key === NUMBER_TAG || FORBIDDEN_KEYS.has(key)) {
        throw new WireCodecError(`${path}: the key ${JSON.stringify(key)} is reserved`)
      }
      const encoded = toWire(v, `${path}.${key}`, ancestors)
      if (encoded !== undefined) out[key] = encoded
    }
    return out
  } finally {
    ancestors.delete(value)
  }
}

function typedToWire(view: ArrayBufferView, path: string): unknown {
  // instanceof rather than the constructor's name, so a subclass such as Node's Buffer travels as its base
  const kind = Object.keys(TYPED_ARRAYS).find((k) => view instanceof TYPED_ARRAYS[k])
  if (kind === undefined) {
    throw new WireCodecError(`${path}: a ${describeClass(view)} is not one of the typed arrays the wire carries`)
  }
  const size = TYPED_ARRAYS[kind].BYTES_PER_ELEMENT
  // a copy, which also makes a SharedArrayBuffer-backed view safe to read while another thread writes
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice()
  if (!HOST_LITTLE_ENDIAN) swapBytes(bytes, size)
  return { [TYPED_TAG]: kind, b64: encodeBase64(bytes) }
}

function fromWire(value: unknown, path: string): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map((v, i) => fromWire(v, `${path}[${i}]`))
  const record = value as Record<string, unknown>
  if (Object.hasOwn(record, TYPED_TAG)) return typedFromWire(record, path)
  if (Object.hasOwn(record, NUMBER_TAG)) return numberFromWire(record, path)
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(record)) {
    if (FORBIDDEN_KEYS.has(key)) throw new WireCodecError(`${path}: the key ${JSON.stringify(key)} is not allowed`)
    out[key] = fromWire(record[key], `${path}.${key}`)
  }
  return out
}

function typedFromWire(record: Record<string, unknown>, path: string): TypedArray {
  const kind = record[TYPED_TAG]
  const b64 = record.b64
  if (Object.keys(record).length !== 2 || typeof kind !== 'string' || typeof b64 !== 'string') {
    throw new WireCodecError(`${path}: a typed array must be exactly {"${TYPED_TAG}": name, "b64": text}`)
  }
  if (!Object.hasOwn(TYPED_ARRAYS, kind)) throw new WireCodecError(`${path}: unknown typed array ${JSON.stringify(kind)}`)
  const Ctor = TYPED_ARRAYS[kind]
  let bytes: Uint8Array
  try {
    bytes = decodeBase64(b64, `${path}.b64`)
  } catch (e) {
    throw new WireCodecError(e instanceof Error ? e.message : String(e))
  }
  if (bytes.byteLength % Ctor.BYTES_PER_ELEMENT !== 0) {
    throw new WireCodecError(`${path}: ${bytes.byteLength} bytes do not divide into ${kind} elements of ${Ctor.BYTES_PER_ELEMENT}`)
  }
  if (!HOST_LITTLE_ENDIAN) swapBytes(bytes, Ctor.BYTES_PER_ELEMENT)
  // decodeBase64 returns a fresh buffer at offset 0, so every element size is aligned
  return new Ctor(bytes.buffer as ArrayBuffer, 0, bytes.byteLength / Ctor.BYTES_PER_ELEMENT)
}

const NUMBERS: Readonly<Record<string, number>> = { NaN, Infinity, '-Infinity': -Infinity, '-0': -0 }

function numberFromWire(record: Record<string, unknown>, path: string): number {
  const spelled = record[NUMBER_TAG]
  if (Object.keys(record).length !== 1 || typeof spelled !== 'string' || !Object.hasOwn(NUMBERS, spelled)) {
    throw new WireCodecError(`${path}: a special number must be {"${NUMBER_TAG}": "NaN" | "Infinity" | "-Infinity" | "-0"}`)
  }
  return NUMBERS[spelled]
}

function swapBytes(bytes: Uint8Array, size: number): void {
  if (size === 1) return
  for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse()
}

function describeClass(value: object): string {
  const name = (value.constructor as { name?: unknown } | undefined)?.name
  return typeof name === 'string' && name !== '' ? name : 'object with a custom prototype'
}
