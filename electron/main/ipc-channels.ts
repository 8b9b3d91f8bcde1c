/** IPC channel names shared by the main process and the preload (which bundles this file). */
import type { BackendMethod } from '../../shared/ipc'

/** One invoke channel per back-end method, so each is handled (and checked) on its own. */
export function methodChannel(method: BackendMethod): string {
  return `backend:${method}`
}

/** Main → renderer: every BackendEvent, including menu commands. */
export const BACKEND_EVENT_CHANNEL = 'backend-event'
