import type { z } from 'zod'
import { IPC_SCHEMAS } from '../../shared/ipc-schemas'
import { BACKEND_METHODS, type BackendMethod, type BackendMethods, type Envelope, type ErrorInfo } from '../../shared/ipc'

/** A request whose method is unknown or whose payload does not match the method's schema. */
export class IpcValidationError extends Error {
  override name = 'IpcValidationError'
}

/** Calls one back-end method by name with an untrusted payload; always resolves, never throws. */
export type Dispatch = (method: string, payload: unknown) => Promise<Envelope<unknown>>

/**
 * The single entry point for Electron's IPC and the web server: checks the method name against
 * BACKEND_METHODS, validates the payload with the method's schema, calls the back end and wraps
 * the outcome. Errors cross as { name, message } only: a stack would leak paths and internals.
 */
export function createDispatcher(backend: BackendMethods): Dispatch {
  const known = new Set<string>(BACKEND_METHODS)
  return async (method, payload) => {
    try {
      if (typeof method !== 'string' || !known.has(method)) {
        throw new IpcValidationError(`unknown method ${JSON.stringify(String(method).slice(0, 100))}`)
      }
      const name = method as BackendMethod
      const parsed = IPC_SCHEMAS[name].safeParse(payload, { reportInput: true })
      if (!parsed.success) throw new IpcValidationError(`${name}: ${describeIssue(parsed.error.issues[0])}`)
      const call = backend[name] as (req: unknown) => Promise<unknown>
      return { ok: true, value: await call.call(backend, parsed.data) }
    } catch (e) {
      return { ok: false, error: errorInfo(e) }
    }
  }
}

function errorInfo(e: unknown): ErrorInfo {
  if (e instanceof Error) return { name: String(e.name), message: String(e.message) }
  return { name: 'Error', message: String(e) }
}

/** `config.network.hiddenSizes[0]: expected int, got string`, in the style of ConfigError. */
function describeIssue(issue: z.core.$ZodIssue): string {
  const at = formatPath(issue.path)
  const prefix = at ? `${at}: ` : ''
  switch (issue.code) {
    case 'invalid_type':
      return `${prefix}expected ${issue.expected}, got ${describe(issue.input)}`
    case 'unrecognized_keys':
      return `${prefix}unknown ${issue.keys.length > 1 ? 'keys' : 'key'} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`
    case 'invalid_value':
      return `${prefix}expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${describe(issue.input)}`
    case 'too_big':
    case 'too_small': {
      const bound = issue.code === 'too_big' ? issue.maximum : issue.minimum
      const cmp = issue.code === 'too_big' ? (issue.inclusive ? '≤' : '<') : (issue.inclusive ? '≥' : '>')
      const what = issue.origin === 'string' ? 'length' : issue.origin === 'array' ? 'item count' : 'value'
      return `${prefix}${what} must be ${cmp} ${String(bound)}`
    }
    default:
      return `${prefix}${issue.message}`
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else out += out ? `.${String(key)}` : String(key)
  }
  return out
}

/** A short rendering of a wrong value: its kind, and the value itself when it is small. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`
  if (typeof value === 'object') return 'an object'
  return typeof value
}
