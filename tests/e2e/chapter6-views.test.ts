/**
 * The Chapter 6 tab in headless Chromium against web mode: the optimiser playground redraws its
 * paths when steps and learning rates change, and the initialisation lab's histograms (computed
 * in a worker) change with the init and the activation. Writes
 * docs/screenshots/optimizer-playground-1024x700.png and init-lab-1024x700.png.
 * Needs the built renderer (out/renderer).
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Browser, type Page } from 'playwright-core'
import type { WebServer } from '../../electron/web/server'
import { haveChromium, openPage, SHOTS, startWebSession, type WebSession } from './web-session'


// studio.test.ts reports a missing Chromium (and fails on CI); here the browser run is only skipped.
describe.runIf(haveChromium)('the Chapter 6 tab in the browser (web mode)', () => {
  let session: WebSession | undefined
  let server: WebServer
  let browser: Browser
  let page: Page
  const problems: string[] = []

  beforeAll(async () => {
    session = await startWebSession('chapter6-e2e', 1)
    ;({ server, browser } = session)
    page = await openPage(browser, problems, { colorScheme: 'light' })
    await page.goto(server.url)
    await page.getByTestId('tab-chapter6').click()
    await page.getByTestId('chapter6-view').waitFor()
  })

  afterAll(async () => {
    await session?.close()
  })

  const text = (id: string) => page.getByTestId(id).innerText()
  /** Whether the chart has a canvas, and which optimisers it was given. */
  const chartInfo = () => page.getByTestId('optim-chart').evaluate((el) => {
    const canvas = el.querySelector('canvas')
    return { canvas: !!canvas && canvas.width > 0, series: el.getAttribute('data-series') }
  })
  /** A hash of a chart canvas's PNG, to see that a redraw changed the picture. */
  const picture = (id: string) => page.evaluate((i) => {
    const canvas = document.querySelector(`[data-testid="${i}"] canvas`) as HTMLCanvasElement | null
    if (!canvas) return ''
    const png = canvas.toDataURL()
    let h = 0
    for (let k = 0; k < png.length; k++) h = (Math.imul(h, 31) + png.charCodeAt(k)) | 0
    return `${png.length}:${h}`
  }, id)
  async function redrawn(id: string, before: string): Promise<string> {
    for (let i = 0; i < 50; i++) {
      const now = await picture(id)
      if (now && now !== before) return now
      await page.waitForTimeout(100)
    }
    throw new Error(`${id} was not redrawn`)
  }

  it('draws the book\'s figure: four paths over the contours of f, 6.1 named', async () => {
    await page.getByTestId('optim-playground').waitFor()
    expect(await text('optim-playground')).toContain('6.1 Optimisers: SGD, Momentum, AdaGrad, Adam')
    const chart = await chartInfo()
    expect(chart.canvas).toBe(true)
    expect(chart.series).toBe('sgd momentum adagrad adam')
    const f = (-7 * 0.905 ** 30) ** 2 / 20 + (2 * 0.9 ** 30) ** 2
    expect(Number(await text('optim-final-sgd'))).toBeCloseTo(f, 3)
    await page.waitForTimeout(300)
    await page.screenshot({ path: join(SHOTS, 'optimizer-playground-1024x700.png') })
  })

  it('redraws the paths when steps and a learning rate change, and shows Nesterov when ticked', async () => {
    let before = await picture('optim-chart')
    const f30 = await text('optim-final-momentum')
    await page.getByTestId('optim-steps').fill('60')
    before = await redrawn('optim-chart', before)
    expect(await text('optim-final-momentum')).not.toBe(f30)

    const sgd = await text('optim-final-sgd')
    await page.getByTestId('optim-lr-sgd').fill('0.3')
    before = await redrawn('optim-chart', before)
    // at lr 0.3, 60 steps: x = −7·0.97⁶⁰, y = 2·0.4⁶⁰
    expect(Number(await text('optim-final-sgd'))).toBeCloseTo((-7 * 0.97 ** 60) ** 2 / 20, 4)
    expect(await text('optim-final-sgd')).not.toBe(sgd)

    await page.getByTestId('optim-show-nesterov').check()
    await redrawn('optim-chart', before)
    expect((await chartInfo()).series).toBe('sgd momentum nesterov adagrad adam')
    await page.getByTestId('optim-reset').click()
    expect(await page.getByTestId('optim-steps').inputValue()).toBe('30')
  })

  it('shows five histograms that change with the init and the activation, 6.2 named', async () => {
    await page.getByTestId('chapter6-init').click()
    const lab = page.getByTestId('init-lab')
    await page.waitForFunction(() => document.querySelector('[data-testid="init-lab"]')?.getAttribute('data-shown') === 'std-1/sigmoid/1')
    expect(await lab.innerText()).toContain('6.2 Initial weights: activation distributions')
    const layer = (i: number) => page.getByTestId(`init-lab-layer-${i}`)
    const counts = async (i: number) => (await layer(i).getAttribute('data-counts'))!.split(' ').map(Number)
    for (let i = 1; i <= 5; i++) {
      const c = await counts(i)
      expect((c[0] + c[29]) / 100_000).toBeGreaterThan(0.5)
      expect(await layer(i).locator('canvas').count()).toBeGreaterThan(0)
    }
    await page.waitForTimeout(300)
    await page.screenshot({ path: join(SHOTS, 'init-lab-1024x700.png') })

    const shown = (key: string) => page.waitForFunction((k) => document.querySelector('[data-testid="init-lab"]')?.getAttribute('data-shown') === k, key)
    let before = await picture('init-lab-layer-5')
    await page.getByTestId('init-lab-init').selectOption('std-0.01')
    await shown('std-0.01/sigmoid/1')
    before = await redrawn('init-lab-layer-5', before)
    expect((await counts(5)).slice(13, 17).reduce((a, b) => a + b)).toBe(100_000)

    await page.getByTestId('init-lab-init').selectOption('xavier')
    await shown('xavier/sigmoid/1')
    before = await redrawn('init-lab-layer-5', before)
    expect((await counts(5)).filter((c) => c > 0).length).toBeGreaterThanOrEqual(18)

    await page.getByTestId('init-lab-activation').selectOption('relu')
    await shown('xavier/relu/1')
    await redrawn('init-lab-layer-5', before)
    expect(await layer(1).innerText()).toMatch(/zeros \d+ %/)
  })

  it('draws both labs in the dark theme, and nothing went to the console', async () => {
    const dark = await browser.newPage({ viewport: { width: 1024, height: 700 }, colorScheme: 'dark', deviceScaleFactor: 1 })
    dark.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
    await dark.goto(server.url)
    await dark.getByTestId('tab-chapter6').click()
    await dark.getByTestId('optim-chart').locator('canvas').waitFor()
    await dark.getByTestId('chapter6-init').click()
    await dark.waitForFunction(() => document.querySelector('[data-testid="init-lab"]')?.getAttribute('data-shown') === 'std-1/sigmoid/1')
    expect(await dark.getByTestId('init-lab-layer-1').locator('canvas').count()).toBeGreaterThan(0)
    await dark.close()
    expect(problems).toEqual([])
  })
})
