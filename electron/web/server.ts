/**
 * Web mode: the renderer and the back end over HTTP on the loopback interface, for machines with
 * no display and for end-to-end tests in a headless browser. The same Backend and dispatcher as
 * the Electron shell sit behind `POST /api/<method>`; back-end events stream over Server-Sent
 * Events from `GET /api/events`.
 *
 * Who may talk to it: only a page that knows the token (printed once on stdout), only with a
 * Host header naming this server (DNS rebinding) and, when the browser sends an Origin, only
 * from this server's own origin (cross-site requests).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { BACKEND_METHODS, type BackendEvent, type BackendMethod, type BackendMethods, type Envelope } from '../../shared/ipc'
import { decodeWire, encodeWire } from '../../shared/wire-codec'
import { SECURITY_HEADERS } from '../services/security-headers'
import { Backend } from '../services/backend'
import { createDispatcher, type Dispatch } from '../services/dispatcher'
import { readStaticFile } from '../services/static-files'

/** Bigger than any request the renderer makes (the largest is a config or a list of indices). */
export const MAX_BODY_BYTES = 1024 * 1024
/**
 * An error reply, the whole JSON Envelope, is at most this long: a message that names 60,000
 * unknown keys is cut rather than sent back, so a request never comes back at its own length.
 */
export const MAX_ERROR_REPLY_BYTES = 1024
/** Longest error name kept; names are class names. */
const MAX_ERROR_NAME_BYTES = 64
/** Longest piece of a request (a Host, an Origin, a method name) quoted in a refusal. */
const MAX_ECHO_CHARS = 80
/** Comment lines keep idle SSE connections open through proxies and detect dead clients. */
const SSE_HEARTBEAT_MS = 15_000

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1'])

export class WebServerError extends Error {
  override readonly name = 'WebServerError'
}

/**
 * What one client can hold. The Host, Origin and token checks run only once the headers are
 * complete, so the header timeout bounds what an unauthenticated client can tie up.
 */
export interface WebServerLimits {
  /** ms from a connection's first byte (or the previous request) to the end of the request's headers. */
  headersTimeoutMs: number
  /** ms from the start of a request to the end of its body; no bound on the reply (an event stream lives on). */
  requestTimeoutMs: number
  /** ms an idle keep-alive connection waits for its next request. */
  keepAliveTimeoutMs: number
  /** Open connections; a new one beyond this is closed at once. A page uses ~6 plus its event stream. */
  maxConnections: number
  /** Open event streams (one per page); another gets 503. */
  maxEventStreams: number
}

const DEFAULT_WEB_LIMITS: Readonly<WebServerLimits> = {
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 32,
  maxEventStreams: 8,
}

export interface WebServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number
  /** A loopback address; anything that would listen beyond this machine is refused. */
  host?: string
  /** Where the back end keeps its models and settings (a Backend is created there unless one is given). */
  userDataDir: string
  /** The built renderer, normally out/renderer. */
  rendererDir: string
  /** An existing back end to serve; the caller keeps ownership and disposes it. */
  backend?: ServedBackend
  /** Worker pool size of the Backend this server creates. */
  poolSize?: number
  /** Overrides of DEFAULT_WEB_LIMITS. */
  limits?: Partial<WebServerLimits>
}

export interface WebServer {
  /** http://127.0.0.1:PORT/?token=TOKEN: the page to open. */
  url: string
  /** The origin without the token, e.g. http://127.0.0.1:PORT */
  origin: string
  token: string
  port: number
  close(): Promise<void>
}

/** What the server needs of a back end: its methods and its event stream. */
export type ServedBackend = BackendMethods & { onEvent(listener: (e: BackendEvent) => void): () => void }

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = options.host ?? '127.0.0.1'
  if (!LOOPBACK_HOSTS.has(host)) {
    throw new WebServerError(`host ${JSON.stringify(host)} is not a loopback address; web mode only listens on this machine`)
  }
  const port = options.port ?? 0
  if (!Number.isSafeInteger(port) || port < 0 || port > 65535) throw new WebServerError(`port ${port} is not a TCP port number`)
  const limits = { ...DEFAULT_WEB_LIMITS, ...options.limits }
  for (const [key, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 1) throw new WebServerError(`limits.${key}: expected a positive integer, got ${value}`)
  }
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new WebServerError('limits.headersTimeoutMs must not exceed limits.requestTimeoutMs')
  }

  let owned: Backend | null = null
  let backend: ServedBackend
  if (options.backend) backend = options.backend
  else backend = owned = await Backend.create({ userDataDir: options.userDataDir, poolSize: options.poolSize })
  const dispatch: Dispatch = createDispatcher(backend)
  const token = randomBytes(32).toString('hex')
  const streams = new Set<ServerResponse>()
  let allowedHosts = new Set<string>()
  let allowedOrigins = new Set<string>()

  const unsubscribe = backend.onEvent((event: BackendEvent) => {
    if (streams.size === 0) return
    let frame: string
    try {
      frame = `data: ${encodeWire(event)}\n\n`
    } catch {
      // an event that is not plain data is a back-end bug; it must not break the emitter's loop
      return
    }
    for (const res of streams) res.write(frame)
  })

  const server = createServer({
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    // how often both timeouts are checked: Node's default of 30 s would stretch a 5 s timeout to 35 s
    connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(limits.headersTimeoutMs / 5))),
  }, (req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendApiError(res, 500, 'WebServerError', `internal error: ${messageOf(e)}`)
      else res.destroy()
    })
  })
  server.keepAliveTimeout = limits.keepAliveTimeoutMs
  server.maxConnections = limits.maxConnections

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const isApi = /^\/api(\/|\?|$)/.test(req.url ?? '')
    // API refusals are Envelopes too, so the web client can show their name and message
    const refuse = (message: string): void => {
      if (isApi) sendApiError(res, 403, 'WebOriginError', message)
      else sendText(res, 403, `Forbidden: ${message}`)
    }
    const hostHeader = (req.headers.host ?? '').toLowerCase()
    if (!allowedHosts.has(hostHeader)) return refuse(`unexpected Host ${quote(hostHeader)}`)
    const origin = req.headers.origin
    if (origin !== undefined && !allowedOrigins.has(origin.toLowerCase())) {
      return refuse(`requests from origin ${quote(origin)} are refused`)
    }
    const url = new URL(req.url ?? '/', `http://${hostHeader}`)
    if (isApi) return handleApi(req, res, url)
    return handleStatic(req, res, url)
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const isEvents = url.pathname === '/api/events'
    // EventSource cannot set headers, so the event stream alone also accepts ?token=
    const presented = bearerToken(req) ?? (isEvents ? url.searchParams.get('token') : null)
    if (presented === null || !sameToken(presented, token)) {
      return sendApiError(res, 401, 'WebAuthError', 'missing or wrong token; open the exact URL that `npm run web` printed')
    }
    if (isEvents) {
      if (req.method !== 'GET') return sendApiError(res, 405, 'WebRequestError', 'use GET for /api/events', { Allow: 'GET' })
      if (streams.size >= limits.maxEventStreams) {
        return sendApiError(res, 503, 'WebBusyError', `${limits.maxEventStreams} event streams are open already; close another tab of this app`, { 'Retry-After': '5' })
      }
      return openEventStream(req, res)
    }
    const method = url.pathname.slice('/api/'.length)
    if (!isBackendMethod(method)) return sendApiError(res, 404, 'WebRequestError', `unknown method ${quote(method)}`)
    if (req.method !== 'POST') return sendApiError(res, 405, 'WebRequestError', `use POST for /api/${method}`, { Allow: 'POST' })
    // application/json cannot be sent cross-site without a CORS preflight, which this server never answers
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
    if (type !== 'application/json') return sendApiError(res, 415, 'WebRequestError', 'the body must be application/json')

    const body = await readBody(req, MAX_BODY_BYTES)
    if (body === null) {
      sendApiError(res, 413, 'WebRequestError', `the request body is larger than ${MAX_BODY_BYTES} bytes`, { Connection: 'close' })
      return
    }
    let payload: unknown
    try {
      payload = body.length === 0 ? {} : decodeWire(body.toString('utf8'))
    } catch (e) {
      return sendApiError(res, 400, errorName(e), messageOf(e))
    }
    const envelope = await dispatch(method, payload).catch((e: unknown): Envelope<unknown> => ({
      ok: false, error: { name: errorName(e), message: messageOf(e) },
    }))
    if (!envelope.ok) return sendJson(res, 200, errorReply(envelope.error.name, envelope.error.message))
    let text: string
    try {
      text = encodeWire(envelope)
    } catch (e) {
      return sendApiError(res, 500, errorName(e), `the result of ${method} cannot be sent: ${messageOf(e)}`)
    }
    sendJson(res, 200, text)
  }

  function openEventStream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    })
    // sent at once so the browser's EventSource fires `open` before the first event
    res.write('retry: 2000\n\n')
    streams.add(res)
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), SSE_HEARTBEAT_MS)
    heartbeat.unref()
    const stop = (): void => {
      clearInterval(heartbeat)
      streams.delete(res)
    }
    req.on('close', stop)
    res.on('close', stop)
  }

  async function handleStatic(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendText(res, 405, 'Method Not Allowed', { Allow: 'GET, HEAD' })
    }
    // the raw path, not url.pathname: the URL parser would already have resolved `..` segments
    const rawPath = (req.url ?? '/').split(/[?#]/)[0]
    const found = await readStaticFile(options.rendererDir, rawPath)
    if (found.status !== 200) return sendText(res, found.status, found.status === 403 ? 'Forbidden' : 'Not Found')
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': found.contentType,
      'Content-Length': found.body.length,
      // hashed asset names never change content; index.html must be re-read after a rebuild
      'Cache-Control': url.pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    })
    res.end(req.method === 'HEAD' ? undefined : found.body)
  }

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, host, () => {
        server.off('error', reject)
        resolve()
      })
    })
  } catch (e) {
    unsubscribe()
    await owned?.dispose()
    throw new WebServerError(`cannot listen on ${host}:${port}: ${messageOf(e)}`)
  }
  const actualPort = (server.address() as AddressInfo).port
  allowedHosts = new Set([`127.0.0.1:${actualPort}`, `localhost:${actualPort}`, `[::1]:${actualPort}`])
  allowedOrigins = new Set([...allowedHosts].map((h) => `http://${h}`))
  const urlHost = host === '::1' ? '[::1]' : host
  const origin = `http://${urlHost}:${actualPort}`

  let closing: Promise<void> | null = null
  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    port: actualPort,
    close() {
      closing ??= (async () => {
        unsubscribe()
        for (const res of streams) res.end()
        streams.clear()
        await new Promise<void>((resolve) => {
          server.close(() => resolve())
          server.closeAllConnections()
        })
        await owned?.dispose()
      })()
      return closing
    },
  }
}

function isBackendMethod(name: string): name is BackendMethod {
  return (BACKEND_METHODS as readonly string[]).includes(name)
}

function bearerToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization
  if (header === undefined) return null
  const match = /^Bearer ([0-9a-f]+)$/i.exec(header.trim())
  return match ? match[1] : null
}

/** Constant-time, so response timing says nothing about how much of a guess was right. */
function sameToken(presented: string, expected: string): boolean {
  const a = Buffer.from(presented, 'utf8')
  const b = Buffer.from(expected, 'utf8')
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * The whole body, or null once it exceeds `limit`. The rest of an oversized body is read and
 * discarded rather than the socket destroyed, so the client still receives the 413 response.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'])
    if (Number.isFinite(declared) && declared > limit) {
      req.resume()
      resolve(null)
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size <= limit) {
        chunks.push(chunk)
        return
      }
      req.off('data', onData)
      req.resume()
      resolve(null)
    }
    req.on('data', onData)
    req.once('end', () => resolve(size > limit ? null : Buffer.concat(chunks)))
    req.once('error', reject)
    // a request cut off by its timeout or by the client ends with neither `end` nor always `error`
    req.once('close', () => reject(new WebServerError('the request was closed before its body arrived')))
  })
}

function sendJson(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  const body = Buffer.from(text, 'utf8')
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': body.length,
    'Cache-Control': 'no-store',
    ...extra,
  })
  res.end(body)
}

/** Errors of the HTTP layer are Envelopes too, so the web client reports them like back-end errors. */
function sendApiError(res: ServerResponse, status: number, name: string, message: string, extra: Record<string, string> = {}): void {
  sendJson(res, status, errorReply(name, message), extra)
}

/**
 * `{"ok":false,"error":{name,message}}` in at most MAX_ERROR_REPLY_BYTES, whatever produced the
 * error: the message is cut at a character boundary and ends in `…` when it does not fit.
 * (The wire codec writes strings as JSON does, so this is also what encodeWire would send.)
 */
function errorReply(name: string, message: string): string {
  const shortName = clipJsonString(name, MAX_ERROR_NAME_BYTES)
  const skeleton = JSON.stringify({ ok: false, error: { name: shortName, message: '' } } satisfies Envelope<never>)
  const envelope: Envelope<never> = {
    ok: false,
    error: { name: shortName, message: clipJsonString(message, MAX_ERROR_REPLY_BYTES - Buffer.byteLength(skeleton)) },
  }
  return JSON.stringify(envelope)
}

/** The longest prefix of `text` (plus `…` if cut) whose JSON string body, quotes aside, fits in `maxBytes`. */
function clipJsonString(text: string, maxBytes: number): string {
  if (Buffer.byteLength(JSON.stringify(text)) - 2 <= maxBytes) return text
  const ELLIPSIS = '…'
  let budget = maxBytes - Buffer.byteLength(ELLIPSIS)
  let out = ''
  for (const ch of text) {
    const cost = Buffer.byteLength(JSON.stringify(ch)) - 2
    if (cost > budget) break
    budget -= cost
    out += ch
  }
  return out + ELLIPSIS
}

/** A piece of the request for a refusal message, quoted and cut short. */
function quote(text: string): string {
  return JSON.stringify(text.length > MAX_ECHO_CHARS ? `${text.slice(0, MAX_ECHO_CHARS)}…` : text)
}

function sendText(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  const body = Buffer.from(`${text}\n`, 'utf8')
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': body.length,
    'Cache-Control': 'no-store',
    ...extra,
  })
  res.end(body)
}

function errorName(e: unknown): string {
  return e instanceof Error ? e.name : 'Error'
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}
