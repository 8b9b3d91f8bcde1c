/**
 * An axe-core audit (WCAG 2.0/2.1 A and AA rules) of every tab in headless Chromium against web
 * mode, in the light and the dark theme, before and after a short training run (so the charts,
 * the model and the predictions have content). The tabs are read from the tab bar itself, so a
 * view added later is audited too. Needs the built renderer (out/renderer).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Browser, type Page } from 'playwright-core'
import { AxeBuilder } from '@axe-core/playwright'
import type { WebServer } from '../../electron/web/server'
import { haveChromium, startWebSession, type WebSession } from './web-session'

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']

// studio.test.ts reports a missing Chromium (and fails on CI); here the browser run is only skipped.
describe.runIf(haveChromium)('accessibility audit of every tab (axe-core, WCAG 2 A/AA)', () => {
  let session: WebSession | undefined
  let server: WebServer
  let browser: Browser

  beforeAll(async () => {
    session = await startWebSession('a11y', 1)
    ;({ server, browser } = session)
  })

  afterAll(async () => {
    await session?.close()
  })

  async function openPage(colorScheme: 'light' | 'dark'): Promise<Page> {
    // AxeBuilder opens a helper page in the same context, so the page needs its own context
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme, locale: 'en-US' })
    const p = await context.newPage()
    await p.goto(server.url)
    await p.waitForFunction(() => !document.querySelector('[data-testid="train-start"]')?.hasAttribute('disabled'))
    return p
  }

  const tabIds = (p: Page) => p.locator('nav[role="tablist"] [role="tab"]').evaluateAll((tabs) => tabs.map((t) => t.getAttribute('data-testid') ?? ''))

  /** Every tab's violations as "tab: rule (impact) → targets", empty when the page passes. */
  async function audit(p: Page, label: string): Promise<string[]> {
    const found: string[] = []
    for (const id of await tabIds(p)) {
      await p.getByTestId(id).click()
      await p.waitForFunction((tid) => document.querySelector(`[data-testid="${tid}"]`)?.getAttribute('aria-selected') === 'true', id)
      // let lazy views settle: no pending animation frame work of their first render
      await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
      await check(p, `${label} ${id}`, found)
      // a view's own sub-views (Learned: weights / confusion; Chapter 6: optimisers / initial weights)
      const inner = p.locator('#view-panel [role="tablist"] [role="tab"][aria-selected="false"]')
      for (let k = await inner.count(); k > 0; k--) {
        const sub = inner.first()
        const name = await sub.getAttribute('data-testid')
        await sub.click()
        await check(p, `${label} ${id}/${name}`, found)
      }
    }
    return found
  }

  async function check(p: Page, where: string, found: string[]) {
    // legacy mode: one axe.run in the page instead of a run per frame finished in a new blank
    // page, half the time of each audit; the app has no frames for it to miss
    const result = await new AxeBuilder({ page: p }).setLegacyMode().withTags(WCAG_TAGS).analyze()
    for (const v of result.violations) {
      found.push(`${where}: ${v.id} (${v.impact}) → ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')}`)
    }
  }

  async function trainBriefly(p: Page) {
    await p.getByTestId('hp-iters').fill('200')
    await p.getByTestId('hp-eval-every').fill('100')
    await p.getByTestId('train-start').click()
    await p.waitForFunction(() => document.querySelector('[data-testid="train-progress"]')?.textContent?.includes('Finished'), undefined, { timeout: 120_000 })
    await p.evaluate(() => document.querySelectorAll<HTMLElement>('.toast .close').forEach((b) => b.click()))
  }

  for (const scheme of ['light', 'dark'] as const) {
    it(`has no WCAG 2 A/AA violations on any tab in the ${scheme} theme, before and after training`, async () => {
      const p = await openPage(scheme)
      const before = await audit(p, `${scheme}/fresh`)
      await trainBriefly(p)
      const after = await audit(p, `${scheme}/trained`)
      // the charts' tables, the shortcut help and the Japanese UI
      await p.getByTestId('tab-training').click()
      for (const toggle of await p.getByTestId('chart-alt-toggle').all()) await toggle.click()
      const extra: string[] = []
      await check(p, `${scheme} chart tables`, extra)
      await p.getByTestId('help-open').click()
      await check(p, `${scheme} help`, extra)
      await p.keyboard.press('Escape')
      await p.getByTestId('ui-language').selectOption('ja')
      await check(p, `${scheme} ja`, extra)
      await p.context().close()
      expect([...before, ...after, ...extra]).toEqual([])
    }, 300_000)
  }

  it('puts the accent colour at 4.5:1 or more on the primary button and the active tab', async () => {
    const p = await openPage('light')
    const ratios = await p.evaluate(() => {
      const rgb = (c: string) => (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number)
      const lum = (c: string) => {
        const [r, g, b] = rgb(c).map((v) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4 })
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
      }
      const ratio = (a: string, b: string) => { const [x, y] = [lum(a), lum(b)].sort((m, n) => n - m); return (x + 0.05) / (y + 0.05) }
      const start = getComputedStyle(document.querySelector('[data-testid="train-start"]')!)
      const tab = document.querySelector('nav[role="tablist"] [aria-selected="true"]')!
      const bar = getComputedStyle(tab.parentElement!)
      return { button: ratio(start.color, start.backgroundColor), tab: ratio(getComputedStyle(tab).color, bar.backgroundColor) }
    })
    await p.context().close()
    expect(ratios.button).toBeGreaterThanOrEqual(4.5)
    expect(ratios.tab).toBeGreaterThanOrEqual(4.5)
  }, 60_000)
})
