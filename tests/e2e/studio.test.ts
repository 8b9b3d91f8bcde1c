/**
 * Backprop Studio in headless Chromium against web mode with the real back end and workers:
 * training with pause/resume/stop, the gradient check, save/open/evaluate, and a bad dataset
 * folder. Writes the screenshots in docs/screenshots/. Needs the built renderer (out/renderer).
 */
import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Browser, type Page } from 'playwright-core'
import type { WebServer } from '../../electron/web/server'
import { CHROMIUM, haveChromium, SHOTS, startWebSession, type WebSession } from './web-session'

const SMALL = { width: 1024, height: 700 }
const LARGE = { width: 1920, height: 1080 }

if (!haveChromium && !process.env.CI) {
  // The one console message the suite wants: a skipped browser run must not go unnoticed.
  console.warn(`\n!!! ${CHROMIUM} is missing: the end-to-end browser tests are SKIPPED. Install it with \`apt-get install -y chromium\`. !!!\n`)
}

describe.runIf(!haveChromium && !!process.env.CI)('end-to-end prerequisites', () => {
  it('has Chromium at /usr/bin/chromium on CI', () => {
    expect.fail(`${CHROMIUM} is missing; CI must install it (apt-get install -y chromium)`)
  })
})

describe.runIf(haveChromium)('Backprop Studio in the browser (web mode, real workers)', () => {
  let session: WebSession | undefined
  let server: WebServer
  let browser: Browser
  let dataDir: string
  let page: Page
  const problems: string[] = []

  beforeAll(async () => {
    session = await startWebSession('e2e', 1)
    ;({ server, browser, dataDir } = session)
    page = await openPage(SMALL)
  })

  afterAll(async () => {
    await session?.close()
  })

  async function openPage(viewport: { width: number; height: number }, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
    const p = await browser.newPage({ viewport, colorScheme, deviceScaleFactor: 1 })
    p.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`) })
    p.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
    await p.goto(server.url)
    await p.getByTestId('dataset-info').or(p.getByTestId('train-start')).first().waitFor()
    await p.waitForFunction(() => !document.querySelector('[data-testid="train-start"]')?.hasAttribute('disabled'))
    return p
  }

  const shot = (p: Page, name: string) => p.screenshot({ path: join(SHOTS, `${name}.png`) })
  /** Closes the toasts left by earlier steps, so a screenshot shows only what its step did. */
  const dismissToasts = async (p: Page) => {
    // one pass in the page: a toast that times out meanwhile must not leave a click waiting
    await p.evaluate(() => document.querySelectorAll<HTMLElement>('.toast .close').forEach((b) => b.click()))
    await p.waitForFunction(() => !document.querySelector('.toast'))
  }
  const iteration = async (p: Page) => Number((await p.getByTestId('progress-iter').innerText()).split('/')[0].replace(/[^\d]/g, ''))
  const points = async (p: Page, id: string) => Number(await p.getByTestId(id).getAttribute('data-points'))
  const state = (p: Page) => p.getByTestId('train-progress').getAttribute('data-state')

  async function setForm(p: Page, values: { iters: string; evalEvery: string; evalSamples: string }) {
    await p.getByTestId('hp-iters').fill(values.iters)
    await p.getByTestId('hp-eval-every').fill(values.evalEvery)
    await p.getByTestId('hp-eval-all').selectOption({ label: 'First' })
    await p.getByTestId('hp-eval-samples').fill(values.evalSamples)
  }

  it('trains with live charts, pauses, steps, resumes, stops, then trains to the end', async () => {
    await shot(page, 'start-1024x700')
    await setForm(page, { iters: '3000', evalEvery: '100', evalSamples: '1000' })
    await page.getByTestId('train-start').click()
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="loss-chart"]')?.getAttribute('data-points')) > 100)
    const lossEarly = await points(page, 'loss-chart')
    const accEarly = await points(page, 'accuracy-chart')
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="loss-chart"]')?.getAttribute('data-points')) > n + 200, lossEarly)
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="accuracy-chart"]')?.getAttribute('data-points')) > n, accEarly)
    expect(await page.getByTestId('hp-iters').isDisabled()).toBe(true)
    expect(await page.getByTestId('progress-epoch').innerText()).toMatch(/^\d+\.\d\d$/)
    await shot(page, 'training-running-1024x700')

    await page.getByTestId('train-pause').click()
    await page.waitForFunction(() => document.querySelector('[data-testid="train-progress"]')?.getAttribute('data-state') === 'paused')
    const pausedAt = await iteration(page)
    await page.waitForTimeout(800)
    expect(await iteration(page)).toBe(pausedAt)
    expect(await page.getByTestId('train-resume').isEnabled()).toBe(true)

    // Step runs exactly one iteration and stays paused
    await page.getByTestId('train-step').click()
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="progress-iter"]')?.textContent?.split('/')[0].replace(/[^\d]/g, '')) === n + 1, pausedAt)
    await page.waitForTimeout(500)
    expect(await iteration(page)).toBe(pausedAt + 1)
    expect(await state(page)).toBe('paused')

    await page.getByTestId('train-resume').click()
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="progress-iter"]')?.textContent?.split('/')[0].replace(/[^\d]/g, '')) > n + 50, pausedAt)
    await page.getByTestId('train-stop').click()
    await page.waitForFunction(() => document.querySelector('[data-testid="train-progress"]')?.getAttribute('data-state') === 'idle')
    expect(await page.getByTestId('train-progress').innerText()).toContain('Stopped')
    const stoppedAt = await iteration(page)
    expect(stoppedAt).toBeGreaterThan(pausedAt)
    expect(stoppedAt).toBeLessThan(3000)
    expect(await points(page, 'loss-chart')).toBeGreaterThanOrEqual(stoppedAt)

    // a short run to the end: every iteration's loss arrives, the model shows up unsaved
    await setForm(page, { iters: '300', evalEvery: '50', evalSamples: '1000' })
    await page.getByTestId('train-start').click()
    await page.waitForFunction(() => document.querySelector('[data-testid="train-progress"]')?.textContent?.includes('Finished'), undefined, { timeout: 120_000 })
    expect(await iteration(page)).toBe(300)
    expect(await points(page, 'loss-chart')).toBe(300)
    expect(await points(page, 'accuracy-chart')).toBeGreaterThanOrEqual(6)
    expect(await page.getByTestId('accuracy-final').innerText()).toMatch(/test\s+\d+\.\d\d %/i)
    await page.waitForTimeout(300)
    await dismissToasts(page)
    await shot(page, 'training-done-1024x700')

    const large = await openPage(LARGE)
    await large.getByTestId('tab-model').click()
    await large.getByTestId('model-summary').waitFor()
    expect(await large.getByTestId('model-summary').innerText()).toContain('784-50-10 ReLU')
    await large.close()
  }, 240_000)

  it('shows the dark theme and the full-HD layout while training', async () => {
    const dark = await openPage(LARGE, 'dark')
    await setForm(dark, { iters: '1500', evalEvery: '100', evalSamples: '1000' })
    await dark.getByTestId('train-start').click()
    await dark.waitForFunction(() => Number(document.querySelector('[data-testid="accuracy-chart"]')?.getAttribute('data-points')) >= 5, undefined, { timeout: 120_000 })
    await shot(dark, 'training-running-dark-1920x1080')
    await dark.waitForFunction(() => document.querySelector('[data-testid="train-progress"]')?.getAttribute('data-state') === 'idle', undefined, { timeout: 120_000 })
    await dark.waitForTimeout(300)
    await dismissToasts(dark)
    await shot(dark, 'training-done-dark-1920x1080')
    await dark.getByTestId('tab-predictions').click()
    await dark.locator('[data-testid="predictions"] figure').first().waitFor()
    await shot(dark, 'predictions-dark-1920x1080')
    await dark.close()
  }, 240_000)

  it('passes the gradient check on every parameter', async () => {
    await page.getByTestId('hp-book').click()
    await page.getByTestId('tab-gradcheck').click()
    await page.getByTestId('gradcheck-run').click()
    await page.locator('[data-testid="gradcheck-table"] tbody[data-param]').first().waitFor({ timeout: 120_000 })
    const rows = await page.locator('[data-testid="gradcheck-table"] tbody[data-param]').evaluateAll((trs) => trs.map((tr) => ({
      name: tr.getAttribute('data-param'),
      verdict: tr.getAttribute('data-verdict'),
      meanAbs: Number(tr.querySelector('[data-col="meanAbs"]')?.getAttribute('data-value')),
      maxAbs: Number(tr.querySelector('[data-col="maxAbs"]')?.getAttribute('data-value')),
    })))
    expect(rows.map((r) => r.name)).toEqual(['W1', 'b1', 'W2', 'b2'])
    for (const r of rows) {
      expect(r.verdict).toBe('pass')
      expect(r.meanAbs).toBeLessThan(1e-6)
      expect(r.maxAbs).toBeLessThan(1e-6)
    }
    expect(await page.getByTestId('gradcheck-overall').innerText()).toBe('PASS')
    await dismissToasts(page)
    await shot(page, 'gradient-check-1024x700')
  }, 180_000)

  it('shows predictions with top-3 bars and marks the misclassified ones', async () => {
    await page.getByTestId('tab-predictions').click()
    await page.locator('[data-testid="predictions"] figure').first().waitFor({ timeout: 60_000 })
    const cards = page.locator('[data-testid="predictions"] figure')
    expect(await cards.count()).toBe(24)
    expect(await cards.first().locator('.prob').count()).toBe(3)
    const wrong = await page.locator('[data-testid="predictions"] figure[data-wrong="true"]').count()
    expect(wrong).toBeLessThan(12)
    await dismissToasts(page)
    await shot(page, 'predictions-1024x700')
  }, 120_000)

  it('saves the model, opens it again and evaluates to the same test accuracy', async () => {
    await page.getByTestId('tab-model').click()
    await page.getByTestId('model-evaluate').click()
    await page.getByTestId('model-eval-test').waitFor({ timeout: 120_000 })
    const before = Number(await page.getByTestId('model-eval-test').getAttribute('data-value'))
    expect(before).toBeGreaterThan(0.5)

    const file = join(dataDir, 'models', 'e2e-model.json')
    await mkdir(join(dataDir, 'models'), { recursive: true })
    await page.getByTestId('model-save').click()
    await page.getByTestId('path-input').fill(file)
    await page.getByTestId('path-confirm').click()
    await page.waitForFunction(() => document.querySelector('[data-testid="model-summary"]')?.getAttribute('data-unsaved') === 'false', undefined, { timeout: 60_000 })
    expect(existsSync(file)).toBe(true)
    expect(await page.getByTestId('model-recent').innerText()).toContain('e2e-model.json')

    // train further changes the weights in memory; opening the file brings the saved ones back
    await setForm(page, { iters: '200', evalEvery: '100', evalSamples: '1000' })
    await page.getByTestId('train-further').click()
    await page.waitForFunction(() => document.querySelector('[data-testid="model-summary"]')?.getAttribute('data-unsaved') === 'true', undefined, { timeout: 120_000 })

    await page.getByTestId('model-open').click()
    await page.getByTestId('path-input').fill(file)
    await page.getByTestId('path-confirm').click()
    await page.waitForFunction(() => document.querySelector('[data-testid="model-summary"]')?.getAttribute('data-unsaved') === 'false', undefined, { timeout: 60_000 })
    await page.getByTestId('model-evaluate').click()
    await page.getByTestId('model-eval-test').waitFor({ timeout: 120_000 })
    const after = Number(await page.getByTestId('model-eval-test').getAttribute('data-value'))
    expect(after).toBe(before)
    await dismissToasts(page)
    await shot(page, 'model-1024x700')

    // a file that is not a model: the error is shown plainly
    const junk = join(dataDir, 'models', 'junk.json')
    await writeFile(junk, '{"hello": 1}')
    await page.getByTestId('model-open').click()
    await page.getByTestId('path-input').fill(junk)
    await page.getByTestId('path-confirm').click()
    await page.getByTestId('model-error').waitFor({ timeout: 30_000 })
    expect(await page.getByTestId('model-error').innerText()).toContain('junk.json')
    expect(await page.getByTestId('model-summary').innerText()).toContain('784-50-10 ReLU')
  }, 240_000)

  it('shows a bad dataset folder error and keeps the old dataset working', async () => {
    const bad = join(dataDir, 'not-mnist')
    await mkdir(bad, { recursive: true })
    await writeFile(join(bad, 'train-images-idx3-ubyte'), 'not an idx file')
    await page.getByTestId('tab-dataset').click()
    await page.locator('[data-testid="dataset-samples"] canvas').first().waitFor()
    const name = await page.getByTestId('dataset-info').getAttribute('data-name')
    await dismissToasts(page)

    await page.getByTestId('dataset-open').click()
    await page.getByTestId('path-input').fill(bad)
    await page.getByTestId('path-confirm').click()
    await page.getByTestId('dataset-error').waitFor({ timeout: 30_000 })
    expect(await page.getByTestId('dataset-error').innerText()).toContain('not-mnist')
    expect(await page.getByTestId('toast-error').innerText()).toContain('DatasetFolderError')
    expect(await page.getByTestId('dataset-info').getAttribute('data-name')).toBe(name)
    expect(await page.locator('[data-testid="dataset-samples"] canvas').count()).toBe(40)
    await shot(page, 'dataset-error-1024x700')

    await setForm(page, { iters: '100', evalEvery: '50', evalSamples: '500' })
    await page.getByTestId('train-start').click()
    await page.getByTestId('tab-training').click()
    await page.waitForFunction(() => document.querySelector('[data-testid="train-progress"]')?.textContent?.includes('Finished'), undefined, { timeout: 120_000 })
    expect(await points(page, 'loss-chart')).toBe(100)
  }, 180_000)

  it('logs no console errors, CSP violations or page errors', () => {
    expect(problems).toEqual([])
  })
})
