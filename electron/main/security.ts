/**
 * The renderer's security policy (Electron's security checklist) as plain functions, so tests can
 * check it without the Electron binary; main-window.ts and index.ts only attach them. Types are
 * the only thing taken from 'electron' here.
 */
import type { Session, WebContents, WebPreferences } from 'electron'
import { SECURITY_HEADERS } from '../services/security-headers'

/**
 * Every BrowserWindow gets these. Sandboxed, context-isolated renderer without Node; the preload
 * is the only bridge. Spellcheck is off because Chromium would download dictionaries from Google.
 * DevTools are off unless asked for, which only an unpackaged (development) build does.
 */
export function secureWebPreferences(preload: string, options: { devTools?: boolean } = {}): WebPreferences {
  return {
    preload,
    devTools: options.devTools ?? false,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    enableWebSQL: false,
    safeDialogs: true,
    spellcheck: false,
  }
}

/**
 * Same scheme, host and port. Compared by parts because WHATWG URL gives every non-special
 * scheme (app:) the opaque origin "null", which would make all app:// URLs look alike.
 */
function isSameOrigin(url: string, appUrl: string): boolean {
  const a = parseUrl(url)
  const b = parseUrl(appUrl)
  if (!a || !b) return false
  return a.protocol === b.protocol && a.host === b.host && a.username === '' && a.password === ''
}

/** will-navigate / will-redirect: the app never leaves its own origin. */
export function isAllowedNavigation(url: string, appUrl: string): boolean {
  return isSameOrigin(url, appUrl)
}

/** A will-navigate / will-frame-navigate / will-redirect event, as far as the guard needs it. */
export interface NavigationAttempt {
  url: string
  preventDefault(): void
}

/** The listener for every navigation event: anything leaving the app's origin is cancelled. */
export function navigationGuard(appUrl: string): (attempt: NavigationAttempt) => void {
  return (attempt) => {
    if (!isAllowedNavigation(attempt.url, appUrl)) attempt.preventDefault()
  }
}

/**
 * session.webRequest.onBeforeRequest: the renderer loads nothing but the app itself (and, in
 * development, the dev server's hot-reload socket), never remote content.
 */
export function isAllowedRequest(url: string, appUrl: string): boolean {
  const target = parseUrl(url)
  const app = parseUrl(appUrl)
  if (!target || !app) return false
  if (target.protocol === 'devtools:' || target.protocol === 'data:' || target.protocol === 'blob:') return true
  const socketOf: Record<string, string> = { 'http:': 'ws:', 'https:': 'wss:' }
  if (target.protocol === socketOf[app.protocol] && target.host === app.host) return true
  return isSameOrigin(url, appUrl)
}

/** Response headers with SECURITY_HEADERS replacing any of the same name, whatever its case. */
export function withSecurityHeaders(headers: Record<string, string[] | string> | undefined): Record<string, string[]> {
  const replaced = new Set(Object.keys(SECURITY_HEADERS).map((k) => k.toLowerCase()))
  const out: Record<string, string[]> = {}
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (!replaced.has(key.toLowerCase())) out[key] = Array.isArray(value) ? value : [value]
  }
  for (const [key, value] of Object.entries(SECURITY_HEADERS)) out[key] = [value]
  return out
}

/** Navigation, new windows and webviews for one webContents (every one the app creates). */
export function hardenWebContents(contents: WebContents, appUrl: string): void {
  const guard = navigationGuard(appUrl)
  contents.on('will-navigate', guard)
  contents.on('will-frame-navigate', guard)
  contents.on('will-redirect', guard)
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(denyWindowOpen)
}

/**
 * Permissions, remote requests and response headers for the app's session. The CSP header also
 * covers pages from the dev server, whose HTML this app does not control.
 */
export function hardenSession(session: Session, appUrl: string): void {
  session.setPermissionRequestHandler(denyPermissionRequest)
  session.setPermissionCheckHandler(denyPermissionCheck)
  session.setDevicePermissionHandler(denyPermissionCheck)
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRequest(details.url, appUrl) })
  })
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isSameOrigin(details.url, appUrl)) return callback({})
    callback({ responseHeaders: withSecurityHeaders(details.responseHeaders) })
  })
}

/** setWindowOpenHandler: no window.open, no target=_blank, no new windows of any kind. */
export function denyWindowOpen(): { action: 'deny' } {
  return { action: 'deny' }
}

/** setPermissionRequestHandler: camera, notifications, geolocation, clipboard… all refused. */
export function denyPermissionRequest(_webContents: unknown, _permission: string, callback: (granted: boolean) => void): void {
  callback(false)
}

/** setPermissionCheckHandler and setDevicePermissionHandler. */
export function denyPermissionCheck(): boolean {
  return false
}

/** What an IPC event says about its sender, extracted from `event.sender` and `event.senderFrame`. */
export interface IpcSenderInfo {
  webContentsId: number
  /** Null when the frame navigated away or was destroyed before the message was handled. */
  frame: { url: string; isMainFrame: boolean } | null
}

/** The one renderer allowed to call the back end: the main window's top frame showing the app. */
export interface TrustedRenderer {
  webContentsId: number | null
  appUrl: string
}

export function isTrustedSender(sender: IpcSenderInfo, trusted: TrustedRenderer): boolean {
  if (trusted.webContentsId === null || sender.webContentsId !== trusted.webContentsId) return false
  if (sender.frame === null || !sender.frame.isMainFrame) return false
  return isSameOrigin(sender.frame.url, trusted.appUrl)
}

function parseUrl(text: string): URL | null {
  try {
    return new URL(text)
  } catch {
    return null
  }
}
