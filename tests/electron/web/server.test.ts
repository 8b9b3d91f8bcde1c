import { request, type IncomingHttpHeaders } from 'node:http'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BOOK_NETWORK } from '../../../shared/engine/network-config'
import type { TrainConfig } from '../../../shared/engine/train-config'
import type { BackendEvent, Envelope, TrainingStatus } from '../../../shared/ipc'
import { decodeWire, encodeWire } from '../../../shared/wire-codec'
import { CONTENT_SECURITY_POLICY } from '../../../electron/services/security-headers'
import { MAX_BODY_BYTES, MAX_ERROR_REPLY_BYTES, startWebServer, WebServerError, type ServedBackend, type WebServer } from '../../../electron/web/server'

interface Reply {
  status: number
  headers: IncomingHttpHeaders
  text: string
}

/** A raw request over a real socket: node:http sends the path and the Host header exactly as given. */
function send(server: WebServer, options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer; chunked?: boolean }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port: server.port,
      method: options.method ?? 'GET',
      path: options.path,
      headers: { Host: `127.0.0.1:${server.port}`, ...options.headers },
    }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.on('error', reject)
    if (options.chunked && options.body !== undefined) {
      // several writes before end(): no Content-Length, the body arrives in chunks
      const body = Buffer.from(options.body)
      for (let i = 0; i < body.length; i += 65536) req.write(body.subarray(i, i + 65536))
      req.end()
    } else {
      req.end(options.body)
    }
  })
}

function callApi(server: WebServer, method: string, payload: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return send(server, {
    method: 'POST',
    path: `/api/${method}`,
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json', ...headers },
    body: encodeWire(payload),
  })
}

async function callOk<T>(server: WebServer, method: string, payload: unknown): Promise<T> {
  const reply = await callApi(server, method, payload)
  expect(reply.status).toBe(200)
  const envelope = decodeWire(reply.text) as Envelope<T>
  if (!envelope.ok) throw new Error(`${method} failed: ${envelope.error.name}: ${envelope.error.message}`)
  return envelope.value
}

/** A Server-Sent Events reader over node:http (Node 20 has no EventSource). */
class EventStream {
  readonly events: BackendEvent[] = []
  readonly opened: Promise<void>
  readonly ended: Promise<void>
  private waiters: (() => void)[] = []
  private buffer = ''

  constructor(server: WebServer, path = `/api/events?token=${server.token}`) {
    let open: () => void = () => undefined
    let end: () => void = () => undefined
    this.opened = new Promise((r) => { open = r })
    this.ended = new Promise((r) => { end = r })
    request({ host: '127.0.0.1', port: server.port, path, headers: { Host: `127.0.0.1:${server.port}` } }, (res) => {
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-type']).toMatch(/^text\/event-stream/)
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        open()
        this.buffer += chunk
        let cut: number
        while ((cut = this.buffer.indexOf('\n\n')) >= 0) {
          const frame = this.buffer.slice(0, cut)
          this.buffer = this.buffer.slice(cut + 2)
          const data = frame.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n')
          if (data) this.events.push(decodeWire(data) as BackendEvent)
        }
        for (const w of this.waiters.splice(0)) w()
      })
      res.on('end', end)
      res.on('close', end)
    }).end()
  }

  async waitFor(predicate: (e: BackendEvent) => boolean): Promise<BackendEvent> {
    for (;;) {
      const found = this.events.find(predicate)
      if (found) return found
      await new Promise<void>((r) => this.waiters.push(r))
    }
  }
}

/** A raw TCP client: sends bytes exactly as given and collects whatever comes back until close. */
class RawClient {
  readonly socket: Socket
  readonly closed: Promise<void>
  text = ''
  private waiters: (() => void)[] = []

  constructor(server: WebServer) {
    this.socket = connect(server.port, '127.0.0.1')
    this.socket.setEncoding('utf8')
    this.socket.on('data', (chunk: string) => {
      this.text += chunk
      for (const w of this.waiters.splice(0)) w()
    })
    // a connection dropped by the server may arrive as ECONNRESET; `closed` reports it either way
    this.socket.on('error', () => undefined)
    this.closed = new Promise((resolve) => this.socket.once('close', () => {
      resolve()
      for (const w of this.waiters.splice(0)) w()
    }))
  }

  /** Resolves once the text received so far contains `needle`; throws if the connection closes first. */
  async waitFor(needle: string): Promise<void> {
    while (!this.text.includes(needle)) {
      if (this.socket.destroyed) throw new Error(`connection closed before ${JSON.stringify(needle)}; got ${JSON.stringify(this.text)}`)
      await new Promise<void>((r) => this.waiters.push(r))
    }
  }
}

let root: string
let rendererDir: string
let server: WebServer

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'web-server-'))
  rendererDir = join(root, 'renderer')
  await mkdir(join(rendererDir, 'assets'), { recursive: true })
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Backprop Studio</title>')
  await writeFile(join(rendererDir, 'assets', 'index-abc123.js'), 'export const x = 1\n')
  await writeFile(join(rendererDir, 'assets', 'style.css'), 'body { color: red }\n')
  // outside the served folder: what traversal attempts aim at
  await writeFile(join(root, 'secret.txt'), 'top secret')
  await mkdir(join(root, 'data'))
  server = await startWebServer({ port: 0, userDataDir: join(root, 'data'), rendererDir, poolSize: 1 })
})

afterAll(async () => {
  await server?.close()
  await rm(root, { recursive: true, force: true })
})

describe('startWebServer', () => {
  it('listens on 127.0.0.1 and puts a 32-byte hex token in its URL', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/)
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`)
  })

  it('refuses to listen on an address other machines can reach', async () => {
    await expect(startWebServer({ host: '0.0.0.0', userDataDir: root, rendererDir })).rejects.toThrow(WebServerError)
  })

  it('answers an authorised call with an Envelope', async () => {
    const info = await callOk<{ source: string; trainCount: number; testCount: number }>(server, 'getDataset', {})
    expect(info.source).toBe('embedded')
    expect(info.trainCount).toBe(60000)
    expect(info.testCount).toBe(10000)
  })

  it('carries typed arrays in results', async () => {
    const samples = await callOk<{ pixels: Uint8Array; labels: number[] }>(server, 'datasetSamples', { split: 'test', start: 0, count: 2 })
    expect(samples.pixels).toBeInstanceOf(Uint8Array)
    expect(samples.pixels.length).toBe(2 * 28 * 28)
    expect(samples.labels).toEqual([7, 2])
  })

  it('rejects a call without the token, or with a wrong one, with 401', async () => {
    const none = await send(server, { method: 'POST', path: '/api/getDataset', headers: { 'Content-Type': 'application/json' }, body: '{}' })
    expect(none.status).toBe(401)
    expect(JSON.parse(none.text)).toMatchObject({ ok: false, error: { name: 'WebAuthError' } })
    const wrong = await callApi(server, 'getDataset', {}, { Authorization: `Bearer ${'0'.repeat(64)}` })
    expect(wrong.status).toBe(401)
    const inQuery = await send(server, {
      method: 'POST', path: `/api/getDataset?token=${server.token}`, headers: { 'Content-Type': 'application/json' }, body: '{}',
    })
    expect(inQuery.status).toBe(401)
  })

  it('rejects a foreign Origin with 403, even with the token', async () => {
    const reply = await callApi(server, 'getDataset', {}, { Origin: 'http://evil.example' })
    expect(reply.status).toBe(403)
    expect(JSON.parse(reply.text)).toMatchObject({ ok: false, error: { name: 'WebOriginError' } })
    const otherPort = await callApi(server, 'getDataset', {}, { Origin: `http://127.0.0.1:${server.port + 1}` })
    expect(otherPort.status).toBe(403)
    const nullOrigin = await callApi(server, 'getDataset', {}, { Origin: 'null' })
    expect(nullOrigin.status).toBe(403)
  })

  it('accepts its own origins, by address and by localhost', async () => {
    for (const origin of [`http://127.0.0.1:${server.port}`, `http://localhost:${server.port}`]) {
      const reply = await callApi(server, 'getDataset', {}, { Origin: origin })
      expect(reply.status).toBe(200)
    }
  })

  it('rejects a foreign Host header (DNS rebinding) with 403', async () => {
    const api = await callApi(server, 'getDataset', {}, { Host: `attacker.example:${server.port}` })
    expect(api.status).toBe(403)
    const page = await send(server, { path: '/', headers: { Host: 'attacker.example' } })
    expect(page.status).toBe(403)
    expect(page.text).not.toContain('Backprop Studio</title>')
  })

  it('refuses a body over the size cap with 413', async () => {
    const big = Buffer.alloc(MAX_BODY_BYTES + 1, 0x20)
    const reply = await send(server, {
      method: 'POST', path: '/api/predict',
      headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
      body: big,
    })
    expect(reply.status).toBe(413)
    const chunked = await send(server, {
      method: 'POST', path: '/api/predict',
      headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
      body: big, chunked: true,
    })
    expect(chunked.status).toBe(413)
    // the connection limit leaves normal calls working
    expect((await callApi(server, 'trainingStatus', {})).status).toBe(200)
  })

  it('refuses non-JSON bodies, unknown methods and wrong verbs', async () => {
    const form = await callApi(server, 'getDataset', {}, { 'Content-Type': 'text/plain' })
    expect(form.status).toBe(415)
    const unknown = await callApi(server, 'deleteEverything', {})
    expect(unknown.status).toBe(404)
    const get = await send(server, { path: '/api/getDataset', headers: { Authorization: `Bearer ${server.token}` } })
    expect(get.status).toBe(405)
    const garbage = await send(server, {
      method: 'POST', path: '/api/getDataset',
      headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
      body: '{"a":',
    })
    expect(garbage.status).toBe(400)
    expect(JSON.parse(garbage.text)).toMatchObject({ ok: false, error: { name: 'WireCodecError' } })
  })

  it('answers a body of 60,000 unknown keys with a short error', async () => {
    const payload = Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`key${i}`, 0]))
    expect(Buffer.byteLength(encodeWire(payload))).toBeLessThan(MAX_BODY_BYTES)
    const reply = await callApi(server, 'trainingStatus', payload)
    expect(reply.status).toBe(200)
    expect(Buffer.byteLength(reply.text)).toBeLessThanOrEqual(MAX_ERROR_REPLY_BYTES)
    expect(decodeWire(reply.text)).toMatchObject({ ok: false, error: { name: 'IpcValidationError' } })
  })

  it('keeps refusals short whatever the request quotes', async () => {
    const longName = 'x'.repeat(5000)
    const unknown = await callApi(server, longName, {})
    expect(unknown.status).toBe(404)
    expect(Buffer.byteLength(unknown.text)).toBeLessThanOrEqual(MAX_ERROR_REPLY_BYTES)
    expect(unknown.text).not.toContain('x'.repeat(200))
    expect(JSON.parse(unknown.text)).toMatchObject({ ok: false, error: { name: 'WebRequestError' } })
    const host = await callApi(server, 'getDataset', {}, { Host: `${'ü'.repeat(4000)}.example` })
    expect(host.status).toBe(403)
    expect(Buffer.byteLength(host.text)).toBeLessThanOrEqual(MAX_ERROR_REPLY_BYTES)
    expect(JSON.parse(host.text)).toMatchObject({ ok: false, error: { name: 'WebOriginError' } })
  })

  it('passes back-end errors through with their name', async () => {
    // web mode has no file dialog, so a null path is the back end's PathRequiredError
    const reply = await callApi(server, 'openModel', { path: null })
    expect(reply.status).toBe(200)
    expect(decodeWire(reply.text)).toMatchObject({ ok: false, error: { name: 'PathRequiredError' } })
    const invalid = await callApi(server, 'datasetSamples', { split: 'nope', start: 0, count: 1 })
    expect(decodeWire(invalid.text)).toMatchObject({ ok: false, error: { name: 'IpcValidationError' } })
  })

  it('requires the token for the event stream too', async () => {
    const reply = await send(server, { path: '/api/events' })
    expect(reply.status).toBe(401)
    const foreign = await send(server, { path: `/api/events?token=${server.token}`, headers: { Origin: 'http://evil.example' } })
    expect(foreign.status).toBe(403)
  })

  it('streams a training job\'s progress over SSE until it finishes', async () => {
    const stream = new EventStream(server)
    await stream.opened
    const config: TrainConfig = {
      network: BOOK_NETWORK, iters: 300, batchSize: 100, lr: 0.1, seed: 3,
      evalEvery: 100, evalSamples: 500, sampling: 'replacement',
    }
    const { jobId } = await callOk<{ jobId: string }>(server, 'startTraining', { config, resume: false })
    const end = await stream.waitFor((e) => (e.type === 'train-finished' || e.type === 'train-failed') && e.jobId === jobId)
    if (end.type === 'train-failed') throw new Error(`training failed: ${end.error.name}: ${end.error.message}`)
    expect(end.type).toBe('train-finished')
    if (end.type !== 'train-finished') return
    expect(end.stopped).toBe(false)
    expect(end.summary.iterations).toBe(300)
    expect(end.summary.testAcc).toBeGreaterThan(0.5)

    const progress = stream.events.flatMap((e) => (e.type === 'train-progress' && e.jobId === jobId ? [e.progress] : []))
    expect(progress.length).toBeGreaterThan(0)
    // every mini-batch loss arrives exactly once, in order, as a Float64Array
    let next = 0
    for (const p of progress) {
      expect(p.losses).toBeInstanceOf(Float64Array)
      expect(p.lossStart).toBe(next)
      next += p.losses.length
      expect(p.totalIters).toBe(300)
      for (const loss of p.losses) expect(Number.isFinite(loss) && loss > 0).toBe(true)
    }
    expect(next).toBe(300)
    const status = await callOk<TrainingStatus>(server, 'trainingStatus', {})
    expect(status.state).toBe('idle')
  })

  it('serves the built renderer with MIME types and the CSP header', async () => {
    const page = await send(server, { path: '/?token=abc' })
    expect(page.status).toBe(200)
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY)
    expect(page.headers['x-content-type-options']).toBe('nosniff')
    expect(page.text).toContain('<title>Backprop Studio</title>')
    const script = await send(server, { path: '/assets/index-abc123.js' })
    expect(script.status).toBe(200)
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8')
    const css = await send(server, { path: '/assets/style.css' })
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8')
    const head = await send(server, { method: 'HEAD', path: '/index.html' })
    expect(head.status).toBe(200)
    expect(head.text).toBe('')
    expect((await send(server, { path: '/missing.js' })).status).toBe(404)
    expect((await send(server, { method: 'DELETE', path: '/index.html' })).status).toBe(405)
  })

  it('refuses ../ traversal in every spelling', async () => {
    for (const path of [
      '/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/%2E%2E%2Fsecret.txt',
      '/assets/..%2F..%2Fsecret.txt', '/..%5Csecret.txt', '/%00index.html', '//etc/passwd',
    ]) {
      const reply = await send(server, { path })
      expect(reply.status, path).toBeGreaterThanOrEqual(400)
      expect(reply.status, path).toBeLessThan(500)
      expect(reply.text, path).not.toContain('top secret')
    }
    expect((await send(server, { path: '/../secret.txt' })).status).toBe(403)
  })

  it('ends open event streams on close', async () => {
    const own = await startWebServer({ port: 0, userDataDir: join(root, 'data'), rendererDir, backend: fakeBackend() })
    const stream = new EventStream(own)
    await stream.opened
    await own.close()
    await stream.ended
    await expect(send(own, { path: '/' })).rejects.toThrow()
  })
})

/** A back end with no events whose methods fail, unless `overrides` gives them. */
function fakeBackend(overrides: Partial<ServedBackend> = {}): ServedBackend {
  const fail = async (): Promise<never> => { throw new Error('not used') }
  return {
    onEvent: () => () => undefined,
    getDataset: fail, openDataset: fail, datasetSamples: fail, startTraining: fail, controlTraining: fail,
    trainingStatus: fail, gradientCheck: fail, cancelGradientCheck: fail, currentModel: fail, saveModel: fail, openModel: fail,
    recentModels: fail, evaluateModel: fail, predict: fail,
    predictImage: fail, inspectBatch: fail,
    datasetImages: fail, liveWeights: fail, confusionMatrix: fail,
    exportModel: fail, importNpz: fail,
    listRuns: fail, runHistory: fail, renameRun: fail, deleteRun: fail, openRunModel: fail, runCsv: fail, saveExport: fail,
    startSweep: fail, cancelSweep: fail, sweepStatus: fail,
    ...overrides,
  }
}

describe('startWebServer limits', () => {
  it('refuses limits that cannot work', async () => {
    await expect(startWebServer({
      userDataDir: root, rendererDir, backend: fakeBackend(), limits: { headersTimeoutMs: 2000, requestTimeoutMs: 1000 },
    })).rejects.toThrow(WebServerError)
    await expect(startWebServer({
      userDataDir: root, rendererDir, backend: fakeBackend(), limits: { maxEventStreams: 0 },
    })).rejects.toThrow(WebServerError)
  })

  it('drops a client that never finishes its headers or its body, but not an open event stream', async () => {
    const own = await startWebServer({
      port: 0, userDataDir: join(root, 'data'), rendererDir, backend: fakeBackend(),
      limits: { headersTimeoutMs: 200, requestTimeoutMs: 400 },
    })
    try {
      const stream = new EventStream(own)
      await stream.opened
      let streamEnded = false
      void stream.ended.then(() => { streamEnded = true })

      const slowHeaders = new RawClient(own)
      slowHeaders.socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${own.port}\r\n`)
      await slowHeaders.closed
      expect(slowHeaders.text).toMatch(/^HTTP\/1\.1 408 /)

      const slowBody = new RawClient(own)
      slowBody.socket.write([
        'POST /api/trainingStatus HTTP/1.1', `Host: 127.0.0.1:${own.port}`, `Authorization: Bearer ${own.token}`,
        'Content-Type: application/json', 'Content-Length: 100', '', '{"a":',
      ].join('\r\n'))
      await slowBody.closed
      expect(slowBody.text).toMatch(/^HTTP\/1\.1 408 /)

      // the stream is older than both dropped clients, and its request ended long ago
      expect(streamEnded).toBe(false)
    } finally {
      await own.close()
    }
  })

  it('cuts a long back-end error to the reply cap at a character boundary', async () => {
    class LongError extends Error {
      override readonly name = 'LongError'
    }
    const message = `start ${'ü"\n✓😀'.repeat(20_000)}`
    const own = await startWebServer({
      port: 0, userDataDir: join(root, 'data'), rendererDir,
      backend: fakeBackend({ trainingStatus: async () => { throw new LongError(message) } }),
    })
    try {
      const reply = await callApi(own, 'trainingStatus', {})
      expect(reply.status).toBe(200)
      expect(Buffer.byteLength(reply.text)).toBeLessThanOrEqual(MAX_ERROR_REPLY_BYTES)
      expect(Buffer.byteLength(reply.text)).toBeGreaterThan(MAX_ERROR_REPLY_BYTES - 16)
      const envelope = decodeWire(reply.text) as Envelope<never>
      expect(envelope.ok).toBe(false)
      if (envelope.ok) return
      expect(envelope.error.name).toBe('LongError')
      expect(envelope.error.message.endsWith('…')).toBe(true)
      expect(message.startsWith(envelope.error.message.slice(0, -1))).toBe(true)
      expect(envelope.error.message).not.toMatch(/\p{Cs}/u)
    } finally {
      await own.close()
    }
  })

  it('closes connections beyond the cap at once and keeps serving the others', async () => {
    const own = await startWebServer({ port: 0, userDataDir: join(root, 'data'), rendererDir, backend: fakeBackend(), limits: { maxConnections: 2 } })
    const get = `GET /index.html HTTP/1.1\r\nHost: 127.0.0.1:${own.port}\r\n\r\n`
    try {
      const first = new RawClient(own)
      first.socket.write(get)
      await first.waitFor('</title>')
      const second = new RawClient(own)
      second.socket.write(get)
      await second.waitFor('</title>')

      const third = new RawClient(own)
      third.socket.write(get)
      await third.closed
      expect(third.text).toBe('')

      // both kept-alive connections still answer
      first.text = ''
      first.socket.write(get)
      await first.waitFor('</title>')
      expect(first.text).toMatch(/^HTTP\/1\.1 200 /)
      first.socket.destroy()
      second.socket.destroy()
    } finally {
      await own.close()
    }
  })

  it('refuses an event stream beyond the cap with 503', async () => {
    const own = await startWebServer({ port: 0, userDataDir: join(root, 'data'), rendererDir, backend: fakeBackend(), limits: { maxEventStreams: 2 } })
    try {
      const streams = [new EventStream(own), new EventStream(own)]
      await Promise.all(streams.map((s) => s.opened))
      const extra = await send(own, { path: `/api/events?token=${own.token}` })
      expect(extra.status).toBe(503)
      expect(extra.headers['retry-after']).toBe('5')
      expect(JSON.parse(extra.text)).toMatchObject({ ok: false, error: { name: 'WebBusyError' } })
      // calls other than streams are not counted
      const other = await send(own, { path: '/index.html' })
      expect(other.status).toBe(200)
    } finally {
      await own.close()
    }
  })
})
