/**
 * app://studio/ serves the built renderer (out/renderer) to the window: a standard, secure
 * origin of its own (unlike file://, which every local file shares), with the CSP and the other
 * security headers on every response. Electron's `protocol` is passed in, so this module loads
 * without the Electron binary.
 */
import type { Protocol } from 'electron'
import { readStaticFile } from '../services/static-files'
import { SECURITY_HEADERS } from '../services/security-headers'

const APP_SCHEME = 'app'
const APP_HOST = 'studio'
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`

/** Must run before the app is ready. standard + secure: relative URLs, module scripts, fetch and a secure context work. */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ])
}

export function handleAppProtocol(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => appResponse(rendererDir, request))
}

/** The response to one app:// request: a file of rendererDir, or a plain-text refusal. */
export async function appResponse(rendererDir: string, request: Request): Promise<Response> {
  const url = new URL(request.url)
  if (url.host !== APP_HOST) return refusal(404, 'Not Found')
  if (request.method !== 'GET' && request.method !== 'HEAD') return refusal(405, 'Method Not Allowed')
  const found = await readStaticFile(rendererDir, url.pathname)
  if (found.status !== 200) return refusal(found.status, found.status === 403 ? 'Forbidden' : 'Not Found')
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(found.body), {
    status: 200,
    headers: { ...SECURITY_HEADERS, 'Content-Type': found.contentType },
  })
}

function refusal(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } })
}
