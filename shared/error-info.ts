import type { ErrorInfo } from './ipc'

/** Name and message of anything thrown; errors keep their identity in `name` across boundaries. */
export function errorInfo(error: unknown): ErrorInfo {
  if (error instanceof Error) return { name: error.name || 'Error', message: error.message || String(error) }
  if (typeof error === 'object' && error !== null) {
    const e = error as { name?: unknown; message?: unknown }
    if (typeof e.message === 'string') return { name: typeof e.name === 'string' ? e.name : 'Error', message: e.message }
  }
  return { name: 'Error', message: String(error) }
}
