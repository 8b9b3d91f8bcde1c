/**
 * The run library and sweeps in headless Chromium against web mode with real workers: a
 * 4-trial sweep cancelled and then run to the end, two recorded runs overlaid, and a run's
 * history downloaded as CSV. Writes docs/screenshots/runs-1024x700.png and sweep-1024x700.png.
 * Needs the built renderer (out/renderer).
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Browser, type Page } from 'playwright-core'
import type { WebServer } from '../../electron/web/server'
import { haveChromium, openPage, SHOTS, startWebSession, type WebSession } from './web-session'

const WAIT = { timeout: 120_000 }

describe.runIf(haveChromium)('runs and sweeps in the browser (web mode, real workers)', () => {
  let session: WebSession | undefined
  let server: WebServer
  let browser: Browser
  let page: Page
  const problems: string[] = []

  beforeAll(async () => {
    session = await startWebSession('e2e-runs', 2)
    ;({ server, browser } = session)
    page = await openPage(browser, problems, { acceptDownloads: true }, ['error'])
    await page.goto(server.url)
    await page.waitForFunction(() => !document.querySelector('[data-testid="train-start"]')?.hasAttribute('disabled'))
    // small evaluations keep every trial and run short
    await page.getByTestId('hp-eval-every').fill('100')
    await page.getByTestId('hp-eval-all').selectOption({ label: 'First' })
    await page.getByTestId('hp-eval-samples').fill('500')
  })

  afterAll(async () => {
    await session?.close()
  })

  const trialStates = () => page.getByTestId('sweep-trial').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-state')))

  it('runs a 4-trial sweep, cancels it, then runs it to the end', async () => {
    await page.getByTestId('tab-sweep').click()
    await page.getByTestId('sweep-view').waitFor()
    await page.getByTestId('sweep-trials').fill('4')
    await page.getByTestId('sweep-lr').fill('0.01, 0.1')
    await page.getByTestId('sweep-optimizer').fill('sgd, adam')
    await page.getByTestId('sweep-iters').fill('5000000')
    await page.getByTestId('sweep-start').click()
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="sweep-trial"][data-state="running"]').length === 2, undefined, WAIT)
    expect((await trialStates()).filter((s) => s === 'queued')).toHaveLength(2)
    await page.getByTestId('sweep-cancel').click()
    await page.waitForFunction(() => document.querySelector('[data-testid="sweep-view"]')?.getAttribute('data-state') === 'cancelled', undefined, WAIT)
    expect(await trialStates()).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled'])

    await page.getByTestId('sweep-iters').fill('300')
    await page.getByTestId('sweep-start').click()
    await page.waitForFunction(() => document.querySelector('[data-testid="sweep-view"]')?.getAttribute('data-state') === 'done', undefined, WAIT)
    expect(await trialStates()).toEqual(['finished', 'finished', 'finished', 'finished'])
    await page.getByTestId('sweep-sort-test').click()
    const tests = await page.getByTestId('sweep-trial').evaluateAll((rows) => rows.map((r) => parseFloat(r.children[12].textContent ?? '')))
    expect(tests).toEqual([...tests].sort((a, b) => b - a))
    expect(Number(await page.getByTestId('sweep-chart').getAttribute('data-series'))).toBe(4)
    await page.screenshot({ path: join(SHOTS, 'sweep-1024x700.png') })
  })

  it('records runs, overlays two of them, and downloads one as CSV', async () => {
    await page.getByTestId('hp-iters').fill('300')
    for (const lr of ['0.1', '0.5']) {
      await page.getByTestId('hp-lr').fill(lr)
      await page.getByTestId('train-start').click()
      await page.waitForFunction(() => document.querySelector('[data-testid="train-progress"]')?.textContent?.includes('Finished'), undefined, WAIT)
      await page.waitForFunction(() => !document.querySelector('[data-testid="train-start"]')?.hasAttribute('disabled'), undefined, WAIT)
    }
    await page.getByTestId('tab-runs').click()
    await page.getByTestId('runs-view').waitFor()
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="runs-table"] tr[data-status="finished"]').length === 2, undefined, WAIT)
    const boxes = page.getByTestId('run-compare')
    await boxes.nth(0).check()
    await boxes.nth(1).check()
    await page.waitForFunction(() => document.querySelector('[data-testid="runs-compare"]')?.getAttribute('data-compared') === '2', undefined, WAIT)
    expect(await page.getByTestId('runs-loss-chart').getAttribute('data-series')).toBe('2')
    await page.getByTestId('runs-sort-lr').click()
    const lrs = await page.locator('[data-testid="runs-table"] tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.children[4].textContent)))
    expect([...lrs].sort((a, b) => a - b)).toEqual(lrs)
    await page.mouse.move(0, 0)
    await page.screenshot({ path: join(SHOTS, 'runs-1024x700.png') })

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('run-export-csv').first().click()])
    const csv = await readFile(await download.path(), 'utf8')
    const rows = csv.trim().split('\n')
    expect(rows[0]).toBe('iteration,loss,train_acc,test_acc')
    expect(rows).toHaveLength(301)
    expect(problems.filter((p) => p.startsWith('page error'))).toEqual([])
  })
})
