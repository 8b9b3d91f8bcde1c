/**
 * The sandboxed preload: exposes `window.api` (BackpropApi) and nothing else; no ipcRenderer,
 * no process, no event objects reach the page. Bundled as CommonJS; imports only `electron`
 * and bundled code.
 *
 * Failures reject with a plain `{ name, message }` object, not an Error: contextBridge rebuilds
 * an Error crossing into the page from its message alone, dropping `name`, while a plain
 * object's fields survive. renderer/src/api/get-api.ts turns it back into an Error.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { BACKEND_METHODS, type BackendEvent, type BackpropApi, type Envelope, type ErrorInfo } from '../../shared/ipc'
import { BACKEND_EVENT_CHANNEL, methodChannel } from '../main/ipc-channels'

const listeners = new Set<(e: BackendEvent) => void>()

ipcRenderer.on(BACKEND_EVENT_CHANNEL, (_event: IpcRendererEvent, e: BackendEvent) => {
  for (const listener of listeners) {
    try {
      listener(e)
    } catch {
      // one failing listener must not starve the others; the page reports its own errors
    }
  }
})

async function invoke(method: (typeof BACKEND_METHODS)[number], req: unknown): Promise<unknown> {
  const envelope = (await ipcRenderer.invoke(methodChannel(method), req)) as Envelope<unknown>
  if (envelope.ok) return envelope.value
  const error: ErrorInfo = { name: envelope.error.name, message: envelope.error.message }
  throw error
}

const methods = Object.fromEntries(BACKEND_METHODS.map((m) => [m, (req: unknown) => invoke(m, req)]))

const api = {
  ...(methods as unknown as Omit<BackpropApi, 'platform' | 'nativeDialogs' | 'onEvent'>),
  platform: 'electron',
  nativeDialogs: true,
  onEvent(listener: (e: BackendEvent) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('onEvent: listener must be a function')
    listeners.add(listener)
    return () => { listeners.delete(listener) }
  },
} satisfies BackpropApi

contextBridge.exposeInMainWorld('api', api)
