/**
 * The model view's NumPy and ONNX interchange in headless Chromium against web mode: after a
 * short run, an ONNX export that ONNX Runtime (onnxruntime-web, WebAssembly) runs in this test
 * process to the engine's numbers, and an .npz export imported back to the same accuracy.
 * Needs the built renderer (out/renderer).
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import * as ort from 'onnxruntime-web'
import { type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDefaultDataset } from '../../electron/services/dataset-loader'
import type { WebServer } from '../../electron/web/server'
import { haveChromium, openPage, SHOTS, startWebSession, type WebSession } from './web-session'
import { fillBatch } from '../../shared/data/fill-batch'
import { zeros } from '../../shared/engine/matrix'
import { MultiLayerNet } from '../../shared/engine/multi-layer-net'
import { Random } from '../../shared/engine/random'
import { modelFromNpz } from '../../shared/model/model-from-npz'


describe.runIf(haveChromium)('NumPy and ONNX interchange in the browser (web mode, real workers)', () => {
  let session: WebSession | undefined
  let server: WebServer
  let browser: Browser
  let dir: string
  let page: Page
  const problems: string[] = []

  beforeAll(async () => {
    session = await startWebSession('e2e-interchange', 2)
    ;({ server, browser, dataDir: dir } = session)
    page = await openPage(browser, problems)
    await page.goto(server.url)
    await page.waitForFunction(() => !document.querySelector('[data-testid="train-start"]')?.hasAttribute('disabled'))
  })

  afterAll(async () => {
    await session?.close()
  })

  /** Clicks `button`, types `path` into web mode's path dialog, and confirms. */
  async function choosePath(button: string, path: string): Promise<void> {
    await page.getByTestId(button).click()
    await page.getByTestId('path-input').fill(path)
    await page.getByTestId('path-confirm').click()
  }

  async function evaluatedTestAcc(): Promise<number> {
    await page.getByTestId('model-evaluate').click()
    await page.getByTestId('model-eval-test').waitFor({ timeout: 120_000 })
    return Number(await page.getByTestId('model-eval-test').getAttribute('data-value'))
  }

  it('exports ONNX that ONNX Runtime runs to the engine\'s numbers, and an .npz that imports back to the same accuracy', async () => {
    await page.getByTestId('hp-iters').fill('400')
    await page.getByTestId('hp-eval-every').fill('400')
    await page.getByTestId('train-start').click()
    await page.waitForFunction(() => document.querySelector('[data-testid="train-progress"]')?.textContent?.includes('Finished'), undefined, { timeout: 120_000 })
    await page.getByTestId('tab-model').click()
    const trainedAcc = await evaluatedTestAcc()

    const onnxPath = join(dir, 'exported.onnx'), npzPath = join(dir, 'exported.npz')
    await choosePath('model-export-onnx', onnxPath)
    await page.waitForFunction((p) => document.querySelector('[data-testid="model-export-done"]')?.getAttribute('data-path') === p, onnxPath)
    await choosePath('model-export-npz', npzPath)
    await page.waitForFunction((p) => document.querySelector('[data-testid="model-export-done"]')?.getAttribute('data-path') === p, npzPath)

    // the test process: ONNX Runtime on the exported graph, the engine on the exported arrays
    const mnist = await loadDefaultDataset()
    const n = mnist.test.count
    const x = zeros(n, 784), t = new Int32Array(n)
    fillBatch(mnist.test, null, 0, x, t)
    ort.env.wasm.numThreads = 1
    const session = await ort.InferenceSession.create(await readFile(onnxPath))
    const out = await session.run({ x: new ort.Tensor('float64', x.data, [n, 784]) })
    await session.release()
    const probabilities = out.probabilities.data as Float64Array
    const { model } = modelFromNpz(await readFile(npzPath), 'exported.npz')
    const net = new MultiLayerNet(model.network, new Random(0))
    net.importParams(model.params)
    net.lastLayer.forward(net.predict(x), t)
    const engine = net.lastLayer.y!.data
    let worst = 0, correct = 0
    for (let i = 0; i < n; i++) {
      let best = 0
      for (let k = 0; k < 10; k++) {
        worst = Math.max(worst, Math.abs(probabilities[i * 10 + k] - engine[i * 10 + k]))
        if (probabilities[i * 10 + k] > probabilities[i * 10 + best]) best = k
      }
      if (best === t[i]) correct++
    }
    expect(worst).toBeLessThan(1e-9)
    // ONNX Runtime's argmax over the whole test split is the app's own evaluation
    expect(correct / n).toBe(trainedAcc)

    await choosePath('model-import-npz', npzPath)
    await page.waitForFunction(() => document.querySelector('[data-testid="model-summary"]')?.getAttribute('data-unsaved') === 'true' &&
      !document.querySelector('[data-testid="model-evaluation"]'))
    expect(await page.getByTestId('model-import-notes').count()).toBe(0)
    expect(Number((await page.getByTestId('model-test-acc').innerText()).replace('%', '')) / 100).toBeCloseTo(trainedAcc, 4)
    expect(await evaluatedTestAcc()).toBe(trainedAcc)
    // the toasts of the exports would cover the panel
    await page.evaluate(() => document.querySelectorAll<HTMLElement>('.toast .close').forEach((b) => b.click()))
    await page.waitForFunction(() => !document.querySelector('.toast'))
    await page.getByTestId('model-interchange').scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(SHOTS, 'model-interchange-1024x700.png') })

    // a damaged file: one clear error, and the model stays
    await choosePath('model-import-npz', join(dir, 'missing.npz'))
    await page.getByTestId('model-error').waitFor()
    expect(await page.getByTestId('model-error').innerText()).toMatch(/cannot read .*missing\.npz: file not found/)
    expect(problems).toEqual([])
  }, 300_000)
})
