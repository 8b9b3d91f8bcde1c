/**
 * BackpropApi over HTTP, for the renderer served by `npm run web`: each method is
 * `POST /api/<method>` with a Bearer token, values travel through the wire codec (typed arrays,
 * NaN), and back-end events arrive over Server-Sent Events from `/api/events`.
 */
import { BACKEND_METHODS, type BackendEvent, type BackendMethod, type BackpropApi, type Envelope } from '../../../shared/ipc'
import { decodeWire, encodeWire } from '../../../shared/wire-codec'

/** The server could not be reached, or answered with something that is not an Envelope. */
export class WebClientError extends Error {
  override readonly name = 'WebClientError'
}

/** The subset of EventSource the client uses, so tests can pass their own. */
export interface EventSourceLike {
  onopen: ((this: EventSourceLike, ev: Event) => unknown) | null
  onmessage: ((this: EventSourceLike, ev: MessageEvent<string>) => unknown) | null
  onerror: ((this: EventSourceLike, ev: Event) => unknown) | null
  close(): void
}

export interface WebClientOptions {
  /** The server's origin, e.g. http://127.0.0.1:5123 (the page's own origin in the browser). */
  baseUrl: string
  token: string
  fetch?: typeof fetch
  openEventSource?: (url: string) => EventSourceLike
  /** How long a call waits for the event stream to connect before going ahead anyway. */
  connectTimeoutMs?: number
}

export function createWebClient(options: WebClientOptions): BackpropApi {
  const base = options.baseUrl.replace(/\/+$/, '')
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis)
  const openEventSource = options.openEventSource ?? ((url: string) => new EventSource(url) as unknown as EventSourceLike)
  const listeners = new Set<(e: BackendEvent) => void>()

  // Opened at once, and calls wait for it, so events of a job started by the first call are not
  // emitted before anyone listens.
  const source = openEventSource(`${base}/api/events?token=${encodeURIComponent(options.token)}`)
  let markConnected: () => void = () => undefined
  const connected = new Promise<void>((resolve) => { markConnected = resolve })
  const timer = setTimeout(markConnected, options.connectTimeoutMs ?? 3000)
  source.onopen = () => { clearTimeout(timer); markConnected() }
  // EventSource reconnects by itself; a failed first attempt must not block calls either
  source.onerror = () => { clearTimeout(timer); markConnected() }
  source.onmessage = (message) => {
    let event: BackendEvent
    try {
      event = decodeWire(message.data) as BackendEvent
    } catch {
      return
    }
    for (const listener of [...listeners]) {
      try {
        listener(event)
      } catch (e) {
        // a throwing listener must not stop the others; surface it like any uncaught error
        setTimeout(() => { throw e })
      }
    }
  }

  async function call(method: BackendMethod, req: unknown): Promise<unknown> {
    await connected
    let response: Response
    try {
      response = await doFetch(`${base}/api/${method}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${options.token}`, 'Content-Type': 'application/json' },
        body: encodeWire(req),
      })
    } catch (e) {
      throw new WebClientError(`${method}: cannot reach the Backprop Studio server at ${base}: ${e instanceof Error ? e.message : String(e)}`)
    }
    const text = await response.text()
    const envelope = parseEnvelope(text)
    if (envelope === null) {
      throw new WebClientError(`${method}: the server answered HTTP ${response.status} without a result`)
    }
    if (envelope.ok) return envelope.value
    const error = new Error(envelope.error.message)
    error.name = envelope.error.name
    throw error
  }

  const methods = Object.fromEntries(BACKEND_METHODS.map((m) => [m, (req: unknown) => call(m, req)]))
  return {
    ...(methods as unknown as Omit<BackpropApi, 'platform' | 'nativeDialogs' | 'onEvent'>),
    platform: 'web',
    nativeDialogs: false,
    onEvent(listener) {
      listeners.add(listener)
      return () => { listeners.delete(listener) }
    },
  }
}

function parseEnvelope(text: string): Envelope<unknown> | null {
  let value: unknown
  try {
    value = decodeWire(text)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null) return null
  const v = value as { ok?: unknown; value?: unknown; error?: unknown }
  if (v.ok === true) return { ok: true, value: v.value }
  const error = v.error as { name?: unknown; message?: unknown } | undefined
  if (v.ok === false && typeof error?.name === 'string' && typeof error.message === 'string') {
    return { ok: false, error: { name: error.name, message: error.message } }
  }
  return null
}
