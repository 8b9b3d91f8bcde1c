import { errorInfo } from '../../shared/error-info'
import { IPC_SCHEMAS } from '../../shared/ipc-schemas'
import { BACKEND_METHODS, type BackendMethod, type BackendMethods, type Envelope } from '../../shared/ipc'
import { formatIssue } from '../../shared/schemas/format-issue'

/** A request whose method is unknown or whose payload does not match the method's schema. */
export class IpcValidationError extends Error {
  override name = 'IpcValidationError'
}

/** Calls one back-end method by name with an untrusted payload; always resolves, never throws. */
export type Dispatch = (method: string, payload: unknown) => Promise<Envelope<unknown>>

/** Issues listed in one error: the first few say what is wrong; a thousand say nothing more. */
const MAX_ISSUES = 3

/**
 * The single entry point for Electron's IPC and the web server: checks the method name against
 * BACKEND_METHODS, validates the payload with the method's schema (shape and limits), calls the
 * back end and wraps the outcome. Errors cross as { name, message } only: a stack would leak
 * paths and internals.
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
      if (!parsed.success) {
        const { issues } = parsed.error
        const listed = issues.slice(0, MAX_ISSUES).map((i) => {
          const e = formatIssue(i)
          return e.field ? `${e.field}: ${e.message}` : e.message
        })
        const more = issues.length > MAX_ISSUES ? `; and ${issues.length - MAX_ISSUES} more` : ''
        throw new IpcValidationError(`${name}: ${listed.join('; ')}${more}`)
      }
      const call = backend[name] as (req: unknown) => Promise<unknown>
      return { ok: true, value: await call.call(backend, parsed.data) }
    } catch (e) {
      return { ok: false, error: errorInfo(e) }
    }
  }
}
