/** Standard base64 (RFC 4648 §4) with padding; pure TS so it runs in the renderer, workers and Node alike. */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const PAD = 0x3d // '='

const ENCODE = Uint8Array.from(ALPHABET, (ch) => ch.charCodeAt(0))
/** ASCII code → sextet, -1 for anything outside the alphabet (including '='). */
const DECODE = new Int8Array(128).fill(-1)
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i

/** Malformed base64 text. The message reads `<field>: <problem>`. */
export class Base64Error extends Error {
  override readonly name = 'Base64Error'
  readonly field: string

  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`)
    this.field = field
  }
}

export function encodeBase64(bytes: Uint8Array): string {
  const n = bytes.length
  const out = new Uint8Array(Math.ceil(n / 3) * 4)
  const whole = n - (n % 3)
  let o = 0
  for (let i = 0; i < whole; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2]
    out[o++] = ENCODE[v >>> 18]
    out[o++] = ENCODE[(v >>> 12) & 63]
    out[o++] = ENCODE[(v >>> 6) & 63]
    out[o++] = ENCODE[v & 63]
  }
  if (n - whole === 1) {
    const v = bytes[whole] << 16
    out[o++] = ENCODE[v >>> 18]
    out[o++] = ENCODE[(v >>> 12) & 63]
    out[o++] = PAD
    out[o++] = PAD
  } else if (n - whole === 2) {
    const v = (bytes[whole] << 16) | (bytes[whole + 1] << 8)
    out[o++] = ENCODE[v >>> 18]
    out[o++] = ENCODE[(v >>> 12) & 63]
    out[o++] = ENCODE[(v >>> 6) & 63]
    out[o++] = PAD
  }
  return asciiToString(out)
}

/**
 * Strict decoding: the length must be a multiple of 4, '=' may only end the text, and the
 * bits past the last byte must be zero, so every byte string has exactly one accepted text.
 */
export function decodeBase64(text: string, field: string): Uint8Array {
  const len = text.length
  if (len % 4 !== 0) throw new Base64Error(field, `base64 length ${len} is not a multiple of 4`)
  const pad = len === 0 ? 0 : text.charCodeAt(len - 1) !== PAD ? 0 : text.charCodeAt(len - 2) === PAD ? 2 : 1
  const out = new Uint8Array((len / 4) * 3 - pad)
  const whole = pad === 0 ? len : len - 4
  let o = 0
  for (let i = 0; i < whole; i += 4) {
    const a = sextet(text, i)
    const b = sextet(text, i + 1)
    const c = sextet(text, i + 2)
    const d = sextet(text, i + 3)
    if ((a | b | c | d) < 0) throwBadChar(text, i, field)
    const v = (a << 18) | (b << 12) | (c << 6) | d
    out[o++] = v >>> 16
    out[o++] = (v >>> 8) & 255
    out[o++] = v & 255
  }
  if (pad > 0) {
    const a = sextet(text, whole)
    const b = sextet(text, whole + 1)
    const c = pad === 1 ? sextet(text, whole + 2) : 0
    if ((a | b | c) < 0) throwBadChar(text, whole, field)
    const v = (a << 18) | (b << 12) | (c << 6)
    if ((pad === 2 ? v & 0xffff : v & 0xff) !== 0) {
      throw new Base64Error(field, 'non-canonical base64: unused bits before the padding are not zero')
    }
    out[o++] = v >>> 16
    if (pad === 1) out[o++] = (v >>> 8) & 255
  }
  return out
}

function sextet(text: string, i: number): number {
  const code = text.charCodeAt(i)
  return code < 128 ? DECODE[code] : -1
}

function throwBadChar(text: string, from: number, field: string): never {
  let i = from
  while (sextet(text, i) >= 0) i++
  throw new Base64Error(field, `invalid base64 character ${JSON.stringify(text[i])} at offset ${i}`)
}

/**
 * Chunked so String.fromCharCode never receives more arguments than the engine allows; a plain
 * number[] is passed because spreading or applying a typed array is several times slower.
 */
function asciiToString(codes: Uint8Array): string {
  const CHUNK = 0x4000
  const chunk: number[] = []
  const parts: string[] = []
  for (let i = 0; i < codes.length; i += CHUNK) {
    const n = Math.min(CHUNK, codes.length - i)
    chunk.length = n
    for (let k = 0; k < n; k++) chunk[k] = codes[i + k]
    parts.push(String.fromCharCode.apply(null, chunk))
  }
  return parts.join('')
}
