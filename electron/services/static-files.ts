/**
 * Reads a built renderer file for a URL path, for the web server and for Electron's app://
 * protocol alike. Nothing outside the root is ever read: `..` segments (raw or percent-encoded),
 * backslashes, NUL bytes and symlinks that lead out are all refused.
 */
import { readFile, realpath, stat } from 'node:fs/promises'
import { extname, isAbsolute, join, relative, sep } from 'node:path'

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
}

export type StaticResult =
  | { status: 200; body: Buffer; contentType: string; path: string }
  | { status: 403 | 404; reason: string }

/**
 * The file under `rootDir` that `urlPath` (a URL's pathname, still percent-encoded) names;
 * `/` and any path ending in `/` mean that folder's index.html.
 */
export async function readStaticFile(rootDir: string, urlPath: string): Promise<StaticResult> {
  const segments = safeSegments(urlPath)
  if (segments === null) return { status: 403, reason: `refused path ${JSON.stringify(urlPath)}` }
  if (segments.length === 0 || segments[segments.length - 1] === '') segments.push('index.html')
  const file = join(rootDir, ...segments)
  if (!isInside(rootDir, file)) return { status: 403, reason: `refused path ${JSON.stringify(urlPath)}` }
  let real: string
  let realRoot: string
  try {
    ;[real, realRoot] = await Promise.all([realpath(file), realpath(rootDir)])
    if (!(await stat(real)).isFile()) return { status: 404, reason: `not a file: ${urlPath}` }
  } catch {
    return { status: 404, reason: `no such file: ${urlPath}` }
  }
  if (!isInside(realRoot, real)) return { status: 403, reason: `refused path ${JSON.stringify(urlPath)}: it leads out of the app` }
  const contentType = MIME_TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream'
  return { status: 200, body: await readFile(real), contentType, path: real }
}

/** Decoded path segments after the leading slash, or null when the path tries to climb or hide. */
function safeSegments(urlPath: string): string[] | null {
  if (!urlPath.startsWith('/')) return null
  const segments: string[] = []
  for (const raw of urlPath.slice(1).split('/')) {
    let segment: string
    try {
      segment = decodeURIComponent(raw)
    } catch {
      return null
    }
    // after decoding, a segment could hold '/', '\\' or NUL (e.g. %2F, %5C, %00) or be '.', '..'
    if (segment === '.' || segment === '..' || /[/\\\0]/.test(segment)) return null
    segments.push(segment)
  }
  // empty inner segments (a//b) would make join() silently skip them; only a trailing '' is meaningful
  if (segments.slice(0, -1).includes('')) return null
  return segments
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path)
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel))
}
