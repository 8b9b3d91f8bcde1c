/** Hands `data` to the browser as a download named `fileName` (web mode: the file lands on the user's machine). */
export function downloadFile(fileName: string, data: string | Blob, type = 'text/plain'): void {
  const blob = typeof data === 'string' ? new Blob([data], { type }) : data
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 0)
}

/** A data: URL's bytes as a Blob. */
export function dataUrlBlob(url: string): Blob {
  const [head, body] = url.split(',', 2)
  const type = /^data:([^;,]+)/.exec(head)?.[1] ?? 'application/octet-stream'
  const bin = atob(body)
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0))
  return new Blob([bytes], { type })
}
