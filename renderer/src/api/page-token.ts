/**
 * Web mode's token, taken from the `?token=` that `npm run web` prints and then removed from the
 * address bar, so it stays out of the history, bookmarks and shared screens. The tab keeps it in
 * sessionStorage, so reloading the page still works.
 */

/** The parts of `window` the token passes through. */
export type TokenPage = Pick<Window, 'location' | 'history' | 'sessionStorage'>

const STORAGE_KEY = 'backprop-studio:token'

/** The page's token, or null when neither the address nor this tab has one. */
export function takePageToken(page: TokenPage): string | null {
  const url = new URL(page.location.href)
  const token = url.searchParams.get('token')
  if (!token) return page.sessionStorage.getItem(STORAGE_KEY)
  page.sessionStorage.setItem(STORAGE_KEY, token)
  url.searchParams.delete('token')
  page.history.replaceState(page.history.state, '', `${url.pathname}${url.search}${url.hash}`)
  return token
}
