/**
 * One ipcMain.handle per back-end method. Each call is first checked against the sender (only
 * the app's own window and page may call) and then handed to the dispatcher, which validates
 * the payload and wraps the outcome in an Envelope.
 */
import type { IpcMainInvokeEvent } from 'electron'
import { BACKEND_METHODS, type Envelope } from '../../shared/ipc'
import type { Dispatch } from '../services/dispatcher'
import { methodChannel } from './ipc-channels'
import type { IpcSenderInfo } from './security'

/** The part of ipcMain used here, so tests can pass a fake. */
export interface IpcHandlerRegistry {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>): void
  removeHandler(channel: string): void
}

/** Returns a function that removes every handler again. */
export function registerBackendIpc(
  ipc: IpcHandlerRegistry,
  dispatch: Dispatch,
  isTrusted: (sender: IpcSenderInfo) => boolean,
): () => void {
  const channels = BACKEND_METHODS.map((method) => {
    const channel = methodChannel(method)
    ipc.handle(channel, async (event, payload): Promise<Envelope<unknown>> => {
      const sender = senderInfo(event)
      if (!isTrusted(sender)) {
        return { ok: false, error: { name: 'IpcSenderError', message: `${method}: refused a call from a frame that is not the app's window` } }
      }
      return dispatch(method, payload)
    })
    return channel
  })
  return () => { for (const channel of channels) ipc.removeHandler(channel) }
}

/** Reading a disposed frame's fields throws; such a sender is treated as having no frame. */
export function senderInfo(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>): IpcSenderInfo {
  const webContentsId = event.sender.id
  try {
    const frame = event.senderFrame
    if (!frame) return { webContentsId, frame: null }
    return { webContentsId, frame: { url: frame.url, isMainFrame: frame.parent === null } }
  } catch {
    return { webContentsId, frame: null }
  }
}
