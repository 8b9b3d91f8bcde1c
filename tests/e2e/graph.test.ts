/**
 * The Graph tab in headless Chromium against web mode: every example stepped forward node by node
 * and backward edge by edge to the book's numbers, and every example recomputed after an input is
 * edited. Writes docs/screenshots/graph-1024x700.png. Needs the built renderer (out/renderer).
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Browser, type Page } from 'playwright-core'
import type { WebServer } from '../../electron/web/server'
import { haveChromium, openPage, SHOTS, startWebSession, type WebSession } from './web-session'


// studio.test.ts reports a missing Chromium (and fails on CI); here the browser run is only skipped.
describe.runIf(haveChromium)('the Graph tab in the browser (web mode)', () => {
  let session: WebSession | undefined
  let server: WebServer
  let browser: Browser
  let page: Page
  const problems: string[] = []

  beforeAll(async () => {
    session = await startWebSession('graph-e2e', 1)
    ;({ server, browser } = session)
    page = await openPage(browser, problems, { colorScheme: 'light' })
    await page.goto(server.url)
    await page.getByTestId('tab-graph').click()
    await page.getByTestId('graph-view').waitFor()
  })

  afterAll(async () => {
    await session?.close()
  })

  const text = (id: string) => page.getByTestId(id).innerText()
  const texts = (ids: string[]) => Promise.all(ids.map(text))
  const node = (name: string) => text(`graph-node-${name}`)
  const grad = (name: string) => text(`graph-grad-${name}`)
  /** The text of a test id once it reads `expected`; the current text if it never does. */
  async function settled(id: string, expected: string): Promise<string> {
    await page.waitForFunction(([i, e]) => document.querySelector(`[data-testid="${i}"]`)?.textContent?.trim() === e, [id, expected], { timeout: 2000 }).catch(() => undefined)
    return text(id)
  }

  async function choose(example: string) {
    await page.getByTestId('graph-example').selectOption(example)
    await page.waitForFunction((e) => document.querySelector('[data-testid="graph-view"]')?.getAttribute('data-example') === e, example)
    await page.waitForFunction(() => document.querySelector('[data-testid="graph-view"]')?.getAttribute('data-phase') === 'start')
  }

  /** Forward until the button disables, then backward until it does; returns how many of each. */
  async function stepThrough(): Promise<{ forward: number; backward: number }> {
    const counts = { forward: 0, backward: 0 }
    for (const dir of ['forward', 'backward'] as const) {
      const button = page.getByTestId(`graph-step-${dir}`)
      while (await button.isEnabled()) {
        await button.click()
        counts[dir]++
        if (counts[dir] > 20) throw new Error(`graph-step-${dir} never disabled`)
      }
    }
    expect(await page.getByTestId('graph-view').getAttribute('data-phase')).toBe('done')
    return counts
  }

  async function edit(name: string, value: string) {
    await page.getByTestId(`graph-input-${name}`).fill(value)
  }

  it('apples: 220 forward, 2.2, 110 and 200 backward, and an edited tax recomputes', async () => {
    await choose('apple')
    expect(await node('price')).toBe('?')
    await page.getByTestId('graph-step-forward').click()
    expect(await node('apple_price')).toBe('200')
    expect(await page.getByTestId('graph-step-backward').isDisabled()).toBe(true)
    await page.getByTestId('graph-step-forward').click()
    expect(await node('price')).toBe('220')
    await page.getByTestId('graph-step-backward').click()
    expect(await grad('apple_price')).toBe('1.1')
    expect(await grad('apple')).toBe('')
    expect(await text('graph-step-current')).toContain('upstream × local = 1 × 1.1 = 1.1')
    expect(await stepThrough()).toEqual({ forward: 0, backward: 3 })
    expect(await texts(['graph-node-price', 'graph-grad-apple', 'graph-grad-apple_num', 'graph-grad-tax'])).toEqual(['220', '2.2', '110', '200'])

    await edit('tax', '1.2')
    expect(await settled('graph-node-price', '240')).toBe('240')
    expect(await texts(['graph-grad-apple', 'graph-grad-apple_num', 'graph-grad-tax'])).toEqual(['2.4', '120', '200'])
  })

  it('apples and oranges: 715, then 2.2, 110, 3.3, 165 and 650; more oranges recompute', async () => {
    await choose('apple-orange')
    expect(await stepThrough()).toEqual({ forward: 4, backward: 8 })
    expect(await node('price')).toBe('715')
    expect(await texts(['graph-grad-apple', 'graph-grad-apple_num', 'graph-grad-orange', 'graph-grad-orange_num', 'graph-grad-tax']))
      .toEqual(['2.2', '110', '3.3', '165', '650'])
    await page.waitForTimeout(300)
    await page.screenshot({ path: join(SHOTS, 'graph-1024x700.png') })

    await edit('orange_num', '4')
    expect(await settled('graph-node-price', '880')).toBe('880')
    expect(await grad('tax')).toBe('800')
    expect(await grad('orange_num')).toBe('165')
  })

  it('sigmoid node by node agrees with dout·y(1 − y) for any x', async () => {
    await choose('sigmoid')
    expect(await stepThrough()).toEqual({ forward: 4, backward: 4 })
    const y = 1 / (1 + Math.exp(-0.5))
    expect(Number(await node('y'))).toBeCloseTo(y, 5)
    expect(Number(await grad('x'))).toBeCloseTo(y * (1 - y), 5)
    expect(await page.getByTestId('graph-check').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-agree')))).toEqual(['true', 'true'])
    await edit('x', '0')
    expect(await settled('graph-node-y', '0.5')).toBe('0.5')
    expect(await grad('x')).toBe('0.25')
    await edit('x', '-2')
    const y2 = 1 / (1 + Math.exp(2))
    await page.waitForFunction((v) => Math.abs(Number(document.querySelector('[data-testid="graph-grad-x"]')?.textContent) - v) < 1e-5, y2 * (1 - y2))
    expect(await page.getByTestId('graph-check').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-agree')))).toEqual(['true', 'true'])
  })

  it('ReLU stops dout where the mask is set', async () => {
    await choose('relu')
    await stepThrough()
    expect(await node('y')).toBe('1 0\n0 3')
    expect(await grad('x')).toBe('0.1 0\n0 0.4')
    await page.getByTestId('graph-input-x-0-1').fill('2')
    expect(await settled('graph-grad-x', '0.1 0.2\n0 0.4')).toBe('0.1 0.2\n0 0.4')
  })

  it('chain rule: t = 3, z = 9, ∂z/∂t = 6, ∂z/∂x = ∂z/∂y = 6, and 2(x + y) agrees for other inputs', async () => {
    await choose('chain-rule')
    expect(await stepThrough()).toEqual({ forward: 2, backward: 3 })
    expect(await texts(['graph-node-t', 'graph-node-z', 'graph-grad-t', 'graph-grad-x', 'graph-grad-y'])).toEqual(['3', '9', '6', '6', '6'])
    expect(await page.getByTestId('graph-checks').innerText()).toContain('2(x + y)')
    await edit('x', '2.5')
    await edit('y', '-1')
    expect(await settled('graph-node-z', '2.25')).toBe('2.25')
    expect(await texts(['graph-node-t', 'graph-grad-t', 'graph-grad-x', 'graph-grad-y'])).toEqual(['1.5', '3', '3', '3'])
    expect(await page.getByTestId('graph-check').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-agree')))).toEqual(['true', 'true'])
  })

  it('addition node: 10 + 5 = 15, both inputs receive the upstream 1.3, then an edited dout', async () => {
    await choose('add-node')
    expect(await stepThrough()).toEqual({ forward: 1, backward: 2 })
    expect(await texts(['graph-node-out', 'graph-grad-x', 'graph-grad-y'])).toEqual(['15', '1.3', '1.3'])
    await edit('dout', '-0.7')
    expect(await settled('graph-grad-x', '-0.7')).toBe('-0.7')
    expect(await grad('y')).toBe('-0.7')
  })

  it('multiplication node: 10 × 5 = 50, x receives 6.5 and y 13: the swap', async () => {
    await choose('mul-node')
    expect(await page.getByTestId('graph-view').innerText()).toMatch(/swap/i)
    expect(await stepThrough()).toEqual({ forward: 1, backward: 2 })
    expect(await texts(['graph-node-out', 'graph-grad-x', 'graph-grad-y'])).toEqual(['50', '6.5', '13'])
    await edit('dout', '2')
    expect(await settled('graph-grad-x', '10')).toBe('10')
    expect(await grad('y')).toBe('20')
    await edit('y', '4')
    expect(await settled('graph-node-out', '40')).toBe('40')
    expect(await grad('x')).toBe('8')
  })

  it('batch Affine and Softmax-with-Loss: dY = (y − t)/N, dx = dY·Wᵀ, dW = xᵀ·dY, db = Σ dY; edits recompute', async () => {
    await choose('affine-batch')
    expect(await stepThrough()).toEqual({ forward: 2, backward: 4 })
    const matrix = async (id: string) => (await text(id)).trim().split('\n').map((r) => r.trim().split(/\s+/).map(Number))
    const cells = async (name: string, rows: number, cols: number) => {
      const m: number[][] = []
      for (let i = 0; i < rows; i++) {
        m.push([])
        for (let j = 0; j < cols; j++) m[i].push(Number(await page.getByTestId(`graph-input-${name}-${i}-${j}`).inputValue()))
      }
      return m
    }
    /** The book's formulas written out here, from the numbers on screen. */
    const expected = async () => {
      const x = await cells('x', 2, 3), W = await cells('W', 3, 2), b = await cells('b', 1, 2), t = await cells('t', 2, 2)
      const Y = x.map((row) => [0, 1].map((j) => b[0][j] + row.reduce((s, v, k) => s + v * W[k][j], 0)))
      const y = Y.map((row) => { const e = row.map(Math.exp); const s = e[0] + e[1]; return e.map((v) => v / s) })
      const dY = y.map((row, n) => row.map((v, k) => (v - t[n][k]) / 2))
      return {
        dx: dY.map((row) => [0, 1, 2].map((k) => row[0] * W[k][0] + row[1] * W[k][1])),
        dW: [0, 1, 2].map((k) => [0, 1].map((j) => x[0][k] * dY[0][j] + x[1][k] * dY[1][j])),
        db: [[0, 1].map((j) => dY[0][j] + dY[1][j])],
      }
    }
    const near = (a: number[][], b: number[][]) => {
      expect(a.map((r) => r.length)).toEqual(b.map((r) => r.length))
      a.forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(b[i][j], 5)))
    }
    let want = await expected()
    near(await matrix('graph-grad-x'), want.dx)
    near(await matrix('graph-grad-W'), want.dW)
    near(await matrix('graph-grad-b'), want.db)
    expect(await page.getByTestId('graph-view').innerText()).toContain('(2, 2)·(2, 3) → (2, 3)')

    const before = await text('graph-grad-W')
    await page.getByTestId('graph-input-x-1-2').fill('-1.5')
    await page.waitForFunction((b) => document.querySelector('[data-testid="graph-grad-W"]')?.textContent !== b, before)
    want = await expected()
    near(await matrix('graph-grad-x'), want.dx)
    near(await matrix('graph-grad-W'), want.dW)
    near(await matrix('graph-grad-b'), want.db)
    expect(await page.getByTestId('graph-check').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-agree')))).toEqual(['true', 'true', 'true'])
  })

  it('draws the batch example in the dark theme at full HD', async () => {
    const dark = await browser.newPage({ viewport: { width: 1920, height: 1080 }, colorScheme: 'dark', deviceScaleFactor: 1 })
    dark.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`) })
    dark.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
    await dark.goto(server.url)
    await dark.getByTestId('tab-graph').click()
    await dark.getByTestId('graph-example').selectOption('affine-batch')
    await dark.getByTestId('graph-step-forward').click()
    await dark.getByTestId('graph-step-forward').click()
    await dark.getByTestId('graph-step-backward').click()
    expect((await dark.getByTestId('graph-step-current').innerText())).toContain('(y − t) / N')
    await dark.waitForTimeout(300)
    await dark.screenshot({ path: join(SHOTS, 'graph-affine-batch-dark-1920x1080.png') })
    await dark.close()
  })

  it('Reset starts the stepping over, and nothing went to the console', async () => {
    await page.getByTestId('graph-reset').click()
    expect(await page.getByTestId('graph-view').getAttribute('data-phase')).toBe('start')
    expect(await node('Y')).toBe('?')
    expect(problems).toEqual([])
  })
})
