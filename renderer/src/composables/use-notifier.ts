import { onScopeDispose, ref } from 'vue'
import { errorInfo } from '../../../shared/error-info'

export interface Toast {
  id: number
  kind: 'error' | 'info'
  /** The error's name for errors, a short title for info. */
  title: string
  message: string
}

const ERROR_MS = 12_000
const INFO_MS = 4_000

/** The toast stack: every back-end error ends up here as name + message, never only in the console. */
export function useNotifier() {
  const toasts = ref<Toast[]>([])
  const timers = new Map<number, ReturnType<typeof setTimeout>>()
  let nextId = 1

  const dismiss = (id: number) => {
    toasts.value = toasts.value.filter((t) => t.id !== id)
    const timer = timers.get(id)
    if (timer !== undefined) clearTimeout(timer)
    timers.delete(id)
  }
  const push = (kind: Toast['kind'], title: string, message: string, ms: number) => {
    const id = nextId++
    toasts.value = [...toasts.value.slice(-2), { id, kind, title, message }]
    timers.set(id, setTimeout(() => dismiss(id), ms))
    return id
  }

  onScopeDispose(() => { for (const t of timers.values()) clearTimeout(t) })

  return {
    toasts,
    dismiss,
    /** `context` says what was being done, e.g. "Opening dataset". */
    error(error: unknown, context?: string): number {
      const e = errorInfo(error)
      return push('error', e.name, context ? `${context}: ${e.message}` : e.message, ERROR_MS)
    },
    info(title: string, message: string): number {
      return push('info', title, message, INFO_MS)
    },
  }
}

export type Notifier = ReturnType<typeof useNotifier>
