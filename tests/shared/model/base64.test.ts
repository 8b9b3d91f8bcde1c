import { Buffer } from 'node:buffer'
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { decodeBase64, encodeBase64 } from '../../../shared/model/base64'

describe('base64', () => {
  it.each([...Array.from({ length: 21 }, (_, i) => i), 10_000])('matches Buffer for %i random bytes', (n) => {
    const bytes = new Uint8Array(randomBytes(n))
    const text = encodeBase64(bytes)
    expect(text).toBe(Buffer.from(bytes).toString('base64'))
    expect(decodeBase64(text, 'x')).toEqual(bytes)
  })

  it('covers every byte value', () => {
    const bytes = Uint8Array.from({ length: 256 * 3 }, (_, i) => (i * 7) & 255)
    expect(encodeBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'))
    expect(decodeBase64(encodeBase64(bytes), 'x')).toEqual(bytes)
  })

  it('handles a few MB', () => {
    const bytes = new Uint8Array(randomBytes(4 * 1024 * 1024 + 1))
    const text = encodeBase64(bytes)
    expect(text).toBe(Buffer.from(bytes).toString('base64'))
    // Buffer.equals: a deep toEqual over 4 MB takes tens of seconds.
    expect(Buffer.from(decodeBase64(text, 'x')).equals(bytes)).toBe(true)
  })

  it.each([
    ['QUJD=', 'params.W1.data: base64 length 5 is not a multiple of 4'],
    ['QU JD', 'params.W1.data: base64 length 5 is not a multiple of 4'],
    ['QU*D', 'params.W1.data: invalid base64 character "*" at offset 2'],
    ['QUJDQUJ\u00e9', 'params.W1.data: invalid base64 character "é" at offset 7'],
    ['QQ=A', 'params.W1.data: invalid base64 character "=" at offset 2'],
    ['Q===', 'params.W1.data: invalid base64 character "=" at offset 1'],
    ['QU=DQUJD', 'params.W1.data: invalid base64 character "=" at offset 2'],
    ['QR==', 'params.W1.data: non-canonical base64: unused bits before the padding are not zero'],
    ['QUN=', 'params.W1.data: non-canonical base64: unused bits before the padding are not zero'],
  ])('rejects %j', (text, message) => {
    expect(() => decodeBase64(text, 'params.W1.data')).toThrow(expect.objectContaining({ name: 'Base64Error', message }))
  })
})
