import { Window } from 'happy-dom'
import { afterEach, describe, expect, it } from 'vitest'
import { takePageToken, type TokenPage } from '../../../renderer/src/api/page-token'

const windows: Window[] = []

/** A browser tab (happy-dom) at `url`; tabs share nothing, as in a browser. */
function tab(url: string): Window {
  const win = new Window({ url })
  windows.push(win)
  return win
}

const page = (win: Window): TokenPage => win as unknown as TokenPage

afterEach(async () => {
  await Promise.all(windows.splice(0).map((w) => w.happyDOM.close()))
})

describe('takePageToken', () => {
  it('returns the token and removes it from the address bar, keeping the rest of the address', () => {
    const win = tab('http://127.0.0.1:5123/index.html?view=train&token=abc123#grad')
    expect(takePageToken(page(win))).toBe('abc123')
    expect(win.location.href).toBe('http://127.0.0.1:5123/index.html?view=train#grad')
    expect(win.history.length).toBe(1)
  })

  it('leaves an address with nothing else as the bare path', () => {
    const win = tab('http://127.0.0.1:5123/?token=abc123')
    expect(takePageToken(page(win))).toBe('abc123')
    expect(win.location.href).toBe('http://127.0.0.1:5123/')
  })

  it('still has the token after a reload of the same tab, not in another tab', () => {
    const win = tab('http://127.0.0.1:5123/?token=abc123')
    takePageToken(page(win))
    // a reload keeps the tab's sessionStorage and loads the address as it now is
    win.happyDOM.setURL(win.location.href)
    expect(takePageToken(page(win))).toBe('abc123')
    expect(takePageToken(page(tab('http://127.0.0.1:5123/')))).toBeNull()
  })

  it('prefers a new token in the address to the one the tab kept', () => {
    const win = tab('http://127.0.0.1:5123/?token=old')
    takePageToken(page(win))
    win.happyDOM.setURL('http://127.0.0.1:5123/?token=new')
    expect(takePageToken(page(win))).toBe('new')
    win.happyDOM.setURL('http://127.0.0.1:5123/')
    expect(takePageToken(page(win))).toBe('new')
  })
})
