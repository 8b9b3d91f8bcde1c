/** Gzip member header ID1 ID2 (RFC 1952 §2.3.1). Detection is by content, never by file name. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b
}
