/**
 * The gradient check up close in headless Chromium against web mode: the real backward pass
 * passes, each bug of "Break it" makes the check fail, and the |Δ| heatmap is drawn (W1 as one
 * 28×28 tile per hidden unit). Writes docs/screenshots/gradcheck-heatmap-1024x700.png.
 * Needs the built renderer (out/renderer).
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Browser, type Page } from 'playwright-core'
import type { WebServer } from '../../electron/web/server'
import { haveChromium, openPage, SHOTS, startWebSession, type WebSession } from './web-session'
import { GRADIENT_BUGS } from '../../shared/engine/gradient-bug'


// studio.test.ts reports a missing Chromium (and fails on CI); here the browser run is only skipped.
describe.runIf(haveChromium)('the gradient check up close in the browser (web mode)', () => {
  let session: WebSession | undefined
  let server: WebServer
  let browser: Browser
  let page: Page
  const problems: string[] = []

  beforeAll(async () => {
    session = await startWebSession('gradcheck-e2e', 1)
    ;({ server, browser } = session)
    page = await openPage(browser, problems, { colorScheme: 'light' })
    await page.goto(server.url)
    await page.getByTestId('tab-gradcheck').click()
    await page.waitForFunction(() => !document.querySelector<HTMLButtonElement>('[data-testid="gradcheck-run"]')?.disabled)
  }, 60_000)

  afterAll(async () => {
    await session?.close()
  })

  /** Waits for the result of a check with `bug` and returns its overall verdict and each parameter's. */
  async function resultOf(bug: string): Promise<{ overall: string; verdicts: Record<string, string> }> {
    await page.waitForFunction((b) => document.querySelector('[data-testid="gradcheck-result"]')?.getAttribute('data-bug') === b
      && !document.querySelector('[data-testid="gradcheck-progress"]'), bug, { timeout: 60_000 })
    const verdicts = Object.fromEntries(await page.locator('[data-testid="gradcheck-table"] tbody[data-param]')
      .evaluateAll((tbs) => tbs.map((tb) => [tb.getAttribute('data-param'), tb.getAttribute('data-verdict')])))
    return { overall: (await page.getByTestId('gradcheck-overall').innerText()).toLowerCase(), verdicts }
  }

  /** Canvas pixels of one tensor's heatmap that are drawn (not transparent), and the canvas size. */
  const drawn = (param: string) => page.locator(`[data-testid="gradcheck-heatmap"] figure[data-param="${param}"] canvas`).evaluate((c: HTMLCanvasElement) => {
    const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
    let n = 0
    for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++
    return { n, width: c.width, height: c.height }
  })

  it('passes with the real backward pass and draws |Δ| per element, W1 as 28×28 tiles', async () => {
    expect(await page.getByTestId('gradcheck-break').inputValue()).toBe('none')
    await page.getByTestId('gradcheck-run').click()
    const { overall, verdicts } = await resultOf('none')
    expect(overall).toBe('pass')
    expect(verdicts).toEqual({ W1: 'pass', b1: 'pass', W2: 'pass', b2: 'pass' })
    const figures = page.locator('[data-testid="gradcheck-heatmap"] figure')
    expect(await figures.evaluateAll((fs) => fs.map((f) => [f.getAttribute('data-param'), f.getAttribute('data-tiled')])))
      .toEqual([['W1', 'true'], ['b1', 'false'], ['W2', 'false'], ['b2', 'false']])
    // 784 × 50: fifty 28×28 tiles, ten to a row, 1 px apart; every element drawn
    expect(await drawn('W1')).toEqual({ n: 784 * 50, width: 10 * 29 - 1, height: 5 * 29 - 1 })
    expect(await drawn('W2')).toEqual({ n: 500, width: 10, height: 50 })
    expect(await page.locator('[data-testid="gradcheck-worst"] tbody tr[data-param]').count()).toBeGreaterThanOrEqual(10)
  }, 90_000)

  it.each(GRADIENT_BUGS)('fails with %s injected', async (bug) => {
    await page.getByTestId('gradcheck-break').selectOption(bug)
    const { overall, verdicts } = await resultOf(bug)
    expect(overall).toBe('fail')
    expect(Object.values(verdicts)).toContain('fail')
    expect(await page.getByTestId('gradcheck-bug').getAttribute('data-bug')).toBe(bug)
    // the worst element's |Δ| is far above rounding error
    const worst = Number(await page.locator('[data-testid="gradcheck-worst"] tbody tr[data-param] [data-value]').first().getAttribute('data-value'))
    expect(worst).toBeGreaterThan(1e-4)
  }, 90_000)

  it('shows the ReLU bug in the heatmap, then passes again with none, and nothing went to the console', async () => {
    await page.getByTestId('gradcheck-break').selectOption('relu-no-mask')
    const broken = await resultOf('relu-no-mask')
    expect(broken.verdicts).toEqual({ W1: 'fail', b1: 'fail', W2: 'pass', b2: 'pass' })
    await page.getByTestId('gradcheck-heatmap').evaluate((el) => el.closest('.card')?.scrollIntoView({ block: 'start' }))
    await page.waitForTimeout(200)
    await page.screenshot({ path: join(SHOTS, 'gradcheck-heatmap-1024x700.png') })

    await page.getByTestId('gradcheck-break').selectOption('none')
    expect((await resultOf('none')).overall).toBe('pass')
    expect(problems).toEqual([])
  }, 90_000)
})
