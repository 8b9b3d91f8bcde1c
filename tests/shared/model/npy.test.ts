import { describe, expect, it } from 'vitest'
import { decodeNpy, encodeNpy } from '../../../shared/model/npy'

/** An .npy written as NumPy writes one, from a header dict and raw data bytes. */
function npy(dict: string, data: Uint8Array, version = 1): Uint8Array {
  const lenBytes = version === 1 ? 2 : 4
  const header = `${dict}\n`
  const out = new Uint8Array(8 + lenBytes + header.length + data.length)
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0])
  const view = new DataView(out.buffer)
  if (version === 1) view.setUint16(8, header.length, true)
  else view.setUint32(8, header.length, true)
  for (let i = 0; i < header.length; i++) out[8 + lenBytes + i] = header.charCodeAt(i)
  out.set(data, 8 + lenBytes + header.length)
  return out
}

function f64le(values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 8)
  values.forEach((v, i) => new DataView(out.buffer).setFloat64(i * 8, v, true))
  return out
}

const reject = (bytes: Uint8Array, message: string | RegExp) =>
  expect(() => decodeNpy(bytes, 'w.npz', 'W1')).toThrow(expect.objectContaining({ name: 'NpzError', message: expect.stringMatching(message) }))

describe('encodeNpy', () => {
  it('writes NumPy\'s version 1.0 header, padded to 64 bytes, then little-endian float64', () => {
    const bytes = encodeNpy({ shape: [2, 3], data: Float64Array.from([1, -0, 0.1, Number.MIN_VALUE, 2 ** 60, -1e-300]) })
    const headerLength = new DataView(bytes.buffer).getUint16(8, true)
    expect((10 + headerLength) % 64).toBe(0)
    const header = String.fromCharCode(...bytes.subarray(10, 10 + headerLength))
    expect(header).toMatch(/^\{'descr': '<f8', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/)
    expect(bytes.length).toBe(10 + headerLength + 48)
  })

  it('round-trips every bit, -0 included, for 0-, 1- and 2-dimensional arrays', () => {
    for (const shape of [[], [5], [3, 4]]) {
      const n = shape.reduce((a, b) => a * b, 1)
      const data = Float64Array.from({ length: n }, (_, i) => (i === 1 ? -0 : Math.sin(i + 1) * 10 ** (i % 7 - 3)))
      const back = decodeNpy(encodeNpy({ shape, data }), 'a.npz', 'x')
      expect(back.shape).toEqual(shape)
      expect(new Uint8Array(back.data.buffer)).toEqual(new Uint8Array(data.buffer))
    }
    expect(String.fromCharCode(...encodeNpy({ shape: [5], data: new Float64Array(5) }).subarray(10, 128))).toContain("'shape': (5,)")
  })
})

describe('decodeNpy', () => {
  it('reads versions 2.0 and 3.0, double-quoted keys and long-int shapes', () => {
    const a = decodeNpy(npy('{"descr": "<f8", "fortran_order": False, "shape": (2L,)}', f64le([1.5, -2]), 2), 'a.npz', 'b1')
    expect(a.shape).toEqual([2])
    expect(Array.from(a.data)).toEqual([1.5, -2])
    expect(decodeNpy(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1), }", f64le([7]), 3), 'a.npz', 'W1').data[0]).toBe(7)
  })

  it('refuses other dtypes, saying what the array is and how NumPy converts it', () => {
    reject(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", new Uint8Array(8)), /^w\.npz: W1: is float32 \('<f4'\), not float64; save W1\.astype\(np\.float64\)$/)
    reject(npy("{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(8)), /big-endian float64 \('>f8'\); save W1\.astype\('<f8'\)/)
    reject(npy("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(8)), /array of Python objects/)
    reject(npy("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(8)), /dtype '<i8', not float64/)
    reject(npy("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }", new Uint8Array(8)), /structured array/)
    reject(npy("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }", new Uint8Array(32)), /Fortran order; save np\.ascontiguousarray\(W1\)/)
  })

  it('refuses a wrong magic, a cut header, a bad dict and a data size that does not match the shape', () => {
    reject(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]), /not a NumPy \.npy array/)
    reject(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", f64le([1])), /shape \(2,\) needs 16 bytes of data, the array has 8/)
    reject(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", f64le([1, 2, 3])), /needs 16 bytes/)
    reject(npy("{'descr': '<f8', 'shape': (2,), }", f64le([1, 2])), /not a dict of descr, fortran_order and shape/)
    reject(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (-2,), }", f64le([1, 2])), /not a dict/)
    reject(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'x': __import__('os')}", f64le([1, 2])), /not a dict/)
    reject(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", f64le([1, 2]), 9), /unsupported \.npy format version 9\.0/)
    const cut = npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", f64le([1, 2])).subarray(0, 20)
    reject(cut, /header is cut short/)
  })
})
