import { request } from 'node:http'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BackendEvent, BackpropApi, Prediction } from '../../../shared/ipc'
import { startWebServer, type ServedBackend, type WebServer } from '../../../electron/web/server'
import { createWebClient, WebClientError, type EventSourceLike } from '../../../renderer/src/api/web-client'

/** EventSource for Node 20 (which has none): enough of it for the client. */
function nodeEventSource(url: string): EventSourceLike {
  const source: EventSourceLike = { onopen: null, onmessage: null, onerror: null, close: () => req.destroy() }
  const req = request(url, (res) => {
    if (res.statusCode !== 200) {
      source.onerror?.call(source, new Event('error'))
      res.resume()
      return
    }
    source.onopen?.call(source, new Event('open'))
    let buffer = ''
    res.setEncoding('utf8')
    res.on('data', (chunk: string) => {
      buffer += chunk
      let cut: number
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const data = buffer.slice(0, cut).split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n')
        buffer = buffer.slice(cut + 2)
        if (data) source.onmessage?.call(source, new MessageEvent('message', { data }))
      }
    })
  })
  req.on('error', () => source.onerror?.call(source, new Event('error')))
  req.end()
  return source
}

/** A back end whose answers the test chooses, and whose events it emits. */
function scriptedBackend() {
  const listeners = new Set<(e: BackendEvent) => void>()
  const fail = async (): Promise<never> => { throw new Error('not scripted') }
  const backend: ServedBackend = {
    onEvent: (l) => { listeners.add(l); return () => { listeners.delete(l) } },
    getDataset: fail, datasetSamples: fail, startTraining: fail, controlTraining: fail,
    trainingStatus: async () => ({ jobId: null, state: 'idle', config: null }),
    gradientCheck: fail, cancelGradientCheck: fail, currentModel: async () => null, saveModel: fail, recentModels: async () => [],
    evaluateModel: fail,
    openDataset: fail,
    predictImage: fail, inspectBatch: fail,
    datasetImages: fail, liveWeights: fail, confusionMatrix: fail,
    exportModel: fail, importNpz: fail,
    listRuns: fail, runHistory: fail, renameRun: fail, deleteRun: fail, openRunModel: fail, runCsv: fail, saveExport: fail,
    startSweep: fail, cancelSweep: fail, sweepStatus: fail,
    openModel: async () => {
      throw Object.assign(new Error('/tmp/m.json: params[0].data: 3 values, expected 4'), { name: 'ModelFileError' })
    },
    predict: async ({ indices }): Promise<Prediction[]> =>
      indices.map((index) => ({ index, label: 1, predicted: 1, probs: new Float64Array([0.25, 0.75, NaN]) })),
  }
  return { backend, emit: (e: BackendEvent) => { for (const l of listeners) l(e) } }
}

let dir: string
let server: WebServer
let scripted: ReturnType<typeof scriptedBackend>
let api: BackpropApi

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'web-client-'))
  await writeFile(join(dir, 'index.html'), '<!doctype html>')
  scripted = scriptedBackend()
  server = await startWebServer({ port: 0, userDataDir: dir, rendererDir: dir, backend: scripted.backend })
  api = createWebClient({ baseUrl: server.origin, token: server.token, openEventSource: nodeEventSource })
})

afterAll(async () => {
  await server?.close()
  await rm(dir, { recursive: true, force: true })
})

describe('createWebClient', () => {
  it('says it is the web client, without native dialogs', () => {
    expect(api.platform).toBe('web')
    expect(api.nativeDialogs).toBe(false)
  })

  it('calls the server and returns the value, typed arrays and NaN intact', async () => {
    const [p] = await api.predict({ indices: [42] })
    expect(p.index).toBe(42)
    expect(p.probs).toBeInstanceOf(Float64Array)
    expect(Array.from(p.probs)).toEqual([0.25, 0.75, NaN])
    expect(await api.trainingStatus({})).toEqual({ jobId: null, state: 'idle', config: null })
  })

  it('throws back-end errors with their name and message', async () => {
    const error = await api.openModel({ path: '/tmp/m.json' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Error)
    expect(error).toMatchObject({ name: 'ModelFileError', message: '/tmp/m.json: params[0].data: 3 values, expected 4' })
  })

  it('throws the server\'s refusal when the token is wrong', async () => {
    const stranger = createWebClient({ baseUrl: server.origin, token: 'f'.repeat(64), openEventSource: nodeEventSource })
    await expect(stranger.getDataset({})).rejects.toMatchObject({ name: 'WebAuthError' })
  })

  it('throws WebClientError when the server cannot be reached', async () => {
    const lost = createWebClient({ baseUrl: 'http://127.0.0.1:1', token: 'x', openEventSource: nodeEventSource })
    await expect(lost.getDataset({})).rejects.toBeInstanceOf(WebClientError)
  })

  it('delivers server events to subscribers until they unsubscribe', async () => {
    const got: BackendEvent[] = []
    const off = api.onEvent((e) => got.push(e))
    await api.trainingStatus({}) // the stream is connected once a call has gone through
    scripted.emit({ type: 'gradcheck-progress', jobId: 'g1', done: 1, total: 4 })
    scripted.emit({
      type: 'train-progress', jobId: 'j1',
      progress: {
        iter: 2, totalIters: 10, epoch: 0.1, elapsedMs: 5, etaMs: NaN, itersPerSecond: 400, lossStart: 0,
        losses: new Float64Array([2.3, 2.2]), evals: [], state: 'running',
      },
    })
    await expect.poll(() => got.length).toBe(2)
    expect(got[0]).toEqual({ type: 'gradcheck-progress', jobId: 'g1', done: 1, total: 4 })
    const progress = got[1].type === 'train-progress' ? got[1].progress : null
    expect(progress?.losses).toEqual(new Float64Array([2.3, 2.2]))
    expect(progress?.etaMs).toBeNaN()
    off()
    scripted.emit({ type: 'menu', action: 'open-model' })
    await api.trainingStatus({})
    await new Promise((r) => setTimeout(r, 50))
    expect(got).toHaveLength(2)
  })
})
