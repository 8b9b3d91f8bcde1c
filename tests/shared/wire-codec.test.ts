import { describe, expect, it } from 'vitest'
import { decodeWire, encodeWire, WireCodecError } from '../../shared/wire-codec'

function roundTrip<T>(value: T): unknown {
  return decodeWire(encodeWire(value))
}

describe('wire codec', () => {
  it('round-trips plain data unchanged', () => {
    const value = { a: 1, b: 'two', c: [true, false, null], d: { e: [1.5, -2e-300, 1e300] }, f: '' }
    expect(roundTrip(value)).toEqual(value)
  })

  it('carries every typed array kind bit for bit', () => {
    const nanWithPayload = new Float64Array(new BigUint64Array([0x7ff8_0000_dead_beefn]).buffer)[0]
    const value = {
      f64: new Float64Array([0.1, -0, NaN, Infinity, -Infinity, Number.MIN_VALUE, nanWithPayload]),
      f32: new Float32Array([1.5, -3.25]),
      u8: new Uint8Array([0, 255, 7]),
      u8c: new Uint8ClampedArray([1, 2]),
      i8: new Int8Array([-128, 127]),
      i16: new Int16Array([-32768, 12345]),
      u16: new Uint16Array([65535]),
      i32: new Int32Array([-2147483648, 2147483647]),
      u32: new Uint32Array([4294967295]),
      bi64: new BigInt64Array([-(2n ** 63n)]),
      bu64: new BigUint64Array([2n ** 64n - 1n]),
      empty: new Float64Array(0),
    }
    const back = roundTrip(value) as typeof value
    for (const [key, original] of Object.entries(value)) {
      const decoded = back[key as keyof typeof value]
      expect(decoded.constructor).toBe(original.constructor)
      expect(new Uint8Array(decoded.buffer, decoded.byteOffset, decoded.byteLength))
        .toEqual(new Uint8Array(original.buffer, original.byteOffset, original.byteLength))
    }
  })

  it('encodes only the bytes a subarray view covers', () => {
    const whole = new Float64Array([1, 2, 3, 4, 5])
    const back = roundTrip(whole.subarray(1, 3)) as Float64Array
    expect(Array.from(back)).toEqual([2, 3])
    expect(back.buffer.byteLength).toBe(16)
  })

  it('sends a Buffer as the Uint8Array it extends', () => {
    const back = roundTrip(Buffer.from([1, 2, 3]))
    expect(back).toBeInstanceOf(Uint8Array)
    expect(Buffer.isBuffer(back)).toBe(false)
    expect(Array.from(back as Uint8Array)).toEqual([1, 2, 3])
  })

  it('reads typed arrays over a SharedArrayBuffer', () => {
    const shared = new Uint8Array(new SharedArrayBuffer(4))
    shared.set([9, 8, 7, 6])
    const back = roundTrip(shared) as Uint8Array
    expect(back.buffer).toBeInstanceOf(ArrayBuffer)
    expect(Array.from(back)).toEqual([9, 8, 7, 6])
  })

  it('keeps NaN, ±Infinity and -0 as numbers, not null', () => {
    const back = roundTrip({ eta: NaN, hi: Infinity, lo: -Infinity, z: -0, list: [NaN, 1] }) as Record<string, unknown>
    expect(back.eta).toBeNaN()
    expect(back.hi).toBe(Infinity)
    expect(back.lo).toBe(-Infinity)
    expect(Object.is(back.z, -0)).toBe(true)
    expect(back.list).toEqual([NaN, 1])
  })

  it('writes typed arrays as the documented tagged base64 object', () => {
    expect(JSON.parse(encodeWire(new Float64Array([1])))).toEqual({ $typed: 'Float64Array', b64: 'AAAAAAAA8D8=' })
  })

  it('drops undefined object fields and turns undefined array items into null, as JSON does', () => {
    expect(roundTrip({ a: undefined, b: [undefined, 1] })).toEqual({ b: [null, 1] })
  })

  it('refuses values that are not plain data, naming where they are', () => {
    expect(() => encodeWire({ when: new Date(0) })).toThrow(/\$\.when: a Date is not plain data/)
    expect(() => encodeWire({ m: new Map() })).toThrow(WireCodecError)
    expect(() => encodeWire({ f: () => 1 })).toThrow(/\$\.f: a function is not plain data/)
    expect(() => encodeWire([1n])).toThrow(/\$\[0\]: a bigint/)
    expect(() => encodeWire(new DataView(new ArrayBuffer(2)))).toThrow(/DataView is not one of the typed arrays/)
    class Point { x = 1 }
    expect(() => encodeWire(new Point())).toThrow(/a Point is not plain data/)
  })

  it('refuses cycles but accepts a shared object seen twice', () => {
    const shared = { x: 1 }
    expect(roundTrip({ a: shared, b: shared })).toEqual({ a: { x: 1 }, b: { x: 1 } })
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(() => encodeWire(cyclic)).toThrow(/\$\.self: a cycle/)
  })

  it('refuses to encode an object whose key collides with a tag', () => {
    expect(() => encodeWire({ inner: { $typed: 'Float64Array', b64: '' } })).toThrow(/\$\.inner: the key "\$typed" is reserved/)
    expect(() => encodeWire({ $num: 'NaN' })).toThrow(WireCodecError)
  })

  it('rejects prototype-polluting keys in wire text', () => {
    expect(() => decodeWire('{"a":{"__proto__":{"admin":true}}}')).toThrow(/\$\.a: the key "__proto__" is not allowed/)
    expect(() => decodeWire('{"constructor":{"prototype":{}}}')).toThrow(WireCodecError)
    expect(({} as Record<string, unknown>).admin).toBeUndefined()
  })

  it('rejects malformed tagged values', () => {
    expect(() => decodeWire('not json')).toThrow(/wire text is not JSON/)
    expect(() => decodeWire('{"$typed":"Float64Array","b64":"AAAA"}')).toThrow(/3 bytes do not divide into Float64Array/)
    expect(() => decodeWire('{"$typed":"Function","b64":""}')).toThrow(/unknown typed array "Function"/)
    expect(() => decodeWire('{"$typed":"toString","b64":""}')).toThrow(/unknown typed array/)
    expect(() => decodeWire('{"$typed":"Uint8Array","b64":"A"}')).toThrow(/base64 length 1/)
    expect(() => decodeWire('{"$typed":"Uint8Array","b64":"","extra":1}')).toThrow(/exactly/)
    expect(() => decodeWire('{"x":{"$num":"1"}}')).toThrow(/\$\.x: a special number/)
    expect(() => decodeWire('{"$num":"NaN","y":2}')).toThrow(WireCodecError)
  })
})
