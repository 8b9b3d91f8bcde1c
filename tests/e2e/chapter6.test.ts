/**
 * Chapter 6 in headless Chromium against web mode with the real back end and workers: an Adam
 * run, a run saved and trained further that matches an uninterrupted one byte for byte, and the
 * watchdog pausing a run at learning rate 10. Needs the built renderer (out/renderer).
 */
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Browser, type Page } from 'playwright-core'
import type { WebServer } from '../../electron/web/server'
import { haveChromium, openPage, SHOTS, startWebSession, type WebSession } from './web-session'
import { parseModel, type ModelFile } from '../../shared/model/model-file'


describe.runIf(haveChromium)('chapter 6 in the browser (web mode, real workers)', () => {
  let session: WebSession | undefined
  let server: WebServer
  let browser: Browser
  let dataDir: string
  let page: Page
  const problems: string[] = []

  beforeAll(async () => {
    session = await startWebSession('e2e6', 1)
    ;({ server, browser, dataDir } = session)
    await mkdir(join(dataDir, 'models'), { recursive: true })
    page = await openPage(browser, problems, {}, ['error'])
    await page.goto(server.url)
    await page.waitForFunction(() => !document.querySelector('[data-testid="train-start"]')?.hasAttribute('disabled'))
  })

  afterAll(async () => {
    await session?.close()
    expect(problems).toEqual([])
  })

  const idle = () => page.waitForFunction(() => document.querySelector('[data-testid="train-progress"]')?.getAttribute('data-state') === 'idle', undefined, { timeout: 120_000 })
  const finished = async () => {
    await page.waitForFunction(() => /Finished|Stopped/.test(document.querySelector('[data-testid="train-progress"]')?.textContent ?? ''), undefined, { timeout: 120_000 })
    await idle()
  }

  async function setForm(values: Record<string, string>) {
    await page.getByTestId('hp-book').click()
    for (const [id, value] of Object.entries(values)) {
      const field = page.getByTestId(id)
      if (await field.evaluate((e) => e.tagName === 'SELECT')) await field.selectOption(value)
      else await field.fill(value)
    }
    await page.getByTestId('hp-eval-all').selectOption({ label: 'First' })
    await page.getByTestId('hp-eval-samples').fill('500')
  }

  async function saveAs(name: string): Promise<ModelFile> {
    const file = join(dataDir, 'models', name)
    await page.getByTestId('tab-model').click()
    await page.getByTestId('model-save').click()
    await page.getByTestId('path-input').fill(file)
    await page.getByTestId('path-confirm').click()
    await page.waitForFunction(() => document.querySelector('[data-testid="model-summary"]')?.getAttribute('data-unsaved') === 'false', undefined, { timeout: 60_000 })
    await page.getByTestId('tab-training').click()
    return parseModel(await readFile(file, 'utf8'), name)
  }

  const bytes = (m: ModelFile) => Buffer.concat(m.params.map((p) => Buffer.from(p.data.buffer, p.data.byteOffset, p.data.byteLength)))
  const lossBytes = (m: ModelFile) => Buffer.from(m.history!.losses.buffer, m.history!.losses.byteOffset, m.history!.losses.byteLength)

  it('trains with Adam, weight decay, dropout and Batch Normalization from the form', async () => {
    await setForm({ 'hp-optimizer': 'adam', 'hp-lr': '0.001', 'hp-iters': '300', 'hp-eval-every': '100', 'hp-weight-decay': '0.0001', 'hp-dropout': '0.1' })
    await page.getByTestId('hp-batchnorm').check()
    expect(await page.getByTestId('hp-beta1').inputValue()).toBe('0.9')
    expect(await page.getByTestId('hp-beta2').inputValue()).toBe('0.999')
    await page.getByTestId('train-start').click()
    await finished()
    const m = await saveAs('adam.json')
    expect(m.training.optimizer).toEqual({ kind: 'adam', beta1: 0.9, beta2: 0.999 })
    expect(m.training).toMatchObject({ weightDecay: 0.0001, dropout: 0.1 })
    expect(m.network.batchnorm).toBe(true)
    expect(m.params.map((p) => p.name)).toEqual(['W1', 'b1', 'gamma1', 'beta1', 'runningMean1', 'runningVar1', 'W2', 'b2'])
    expect(m.optimizer!.step).toBe(300)
    expect(m.history!.losses.length).toBe(300)
    expect(m.summary.testAcc).toBeGreaterThan(0.85)
    await page.screenshot({ path: join(SHOTS, 'chapter6-adam-1024x700.png') })
  })

  it('trains further from a saved model to the same bytes as a run that never stopped', async () => {
    const form = { 'hp-optimizer': 'adam', 'hp-lr': '0.001', 'hp-seed': '7', 'hp-eval-every': '20', 'hp-dropout': '0.2' }
    await setForm({ ...form, 'hp-iters': '60' })
    await page.getByTestId('train-start').click()
    await finished()
    const whole = await saveAs('whole.json')

    await setForm({ ...form, 'hp-iters': '35' })
    await page.getByTestId('train-start').click()
    await finished()
    await saveAs('first.json')
    await page.getByTestId('hp-iters').fill('25')
    await page.getByTestId('train-further').click()
    await page.waitForFunction(() => document.querySelector('[data-testid="model-summary"]')?.getAttribute('data-unsaved') === 'true' || document.querySelector('[data-testid="train-progress"]')?.getAttribute('data-state') !== 'idle')
    await finished()
    const resumed = await saveAs('resumed.json')

    expect(resumed.summary.iterations).toBe(60)
    expect(lossBytes(resumed).equals(lossBytes(whole))).toBe(true)
    expect(bytes(resumed).equals(bytes(whole))).toBe(true)
    expect(resumed.rngState).toEqual(whole.rngState)
  })

  it('the watchdog pauses a run at lr 10, says why, and keeps saying it after a stop', async () => {
    await setForm({ 'hp-lr': '10', 'hp-iters': '2000', 'hp-eval-every': '500' })
    await page.getByTestId('train-start').click()
    const notice = page.getByTestId('watchdog-notice')
    await notice.waitFor({ timeout: 60_000 })
    await page.waitForFunction(() => document.querySelector('[data-testid="train-progress"]')?.getAttribute('data-state') === 'paused')
    const text = await notice.innerText()
    expect(text).toContain('Exploding gradient')
    expect(text).toMatch(/in W\d: value \d/)
    expect(text).toContain('learning rate 10 is too high for SGD here; try 0.1')
    await page.screenshot({ path: join(SHOTS, 'chapter6-watchdog-1024x700.png') })
    await page.getByTestId('train-stop').click()
    await finished()
    expect(await notice.isVisible()).toBe(true)
  })
})
