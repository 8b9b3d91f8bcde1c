/**
 * The renderer's one way to the back end: Electron's preload bridge when it is there, otherwise
 * the HTTP client for `npm run web`, authorised by the `?token=` of the page's URL (page-token.ts).
 */
import { BACKEND_METHODS, type BackpropApi } from '../../../shared/ipc'
import { takePageToken, type TokenPage } from './page-token'
import { createWebClient } from './web-client'

/** The page was opened without the token that `npm run web` prints. */
export class MissingTokenError extends Error {
  override readonly name = 'MissingTokenError'
}

let api: BackpropApi | null = null

export function getApi(): BackpropApi {
  api ??= window.api ? restoreBridgeErrors(window.api) : webClientFromPage(window)
  return api
}

function webClientFromPage(page: TokenPage): BackpropApi {
  const token = takePageToken(page)
  if (!token) {
    throw new MissingTokenError('this page has no ?token= in its address; open the exact URL that `npm run web` printed')
  }
  return createWebClient({ baseUrl: page.location.origin, token })
}

/**
 * The preload rejects with plain `{ name, message }` objects because contextBridge keeps only
 * the message of an Error; here, on the page's side of the bridge, they become Errors again.
 */
function restoreBridgeErrors(bridge: BackpropApi): BackpropApi {
  const methods = Object.fromEntries(BACKEND_METHODS.map((m) => [
    m,
    (req: unknown) => (bridge[m] as (r: unknown) => Promise<unknown>).call(bridge, req).catch((e: unknown) => { throw toError(e) }),
  ]))
  return {
    ...(methods as unknown as Omit<BackpropApi, 'platform' | 'nativeDialogs' | 'onEvent'>),
    platform: bridge.platform,
    nativeDialogs: bridge.nativeDialogs,
    onEvent: (listener) => bridge.onEvent(listener),
  }
}

function toError(e: unknown): Error {
  if (e instanceof Error) return e
  if (typeof e === 'object' && e !== null) {
    const { name, message } = e as { name?: unknown; message?: unknown }
    if (typeof message === 'string') {
      const error = new Error(message)
      error.name = typeof name === 'string' && name !== '' ? name : 'Error'
      return error
    }
  }
  return new Error(String(e))
}
