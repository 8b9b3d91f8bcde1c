/**
 * A long run in web mode, started as a user starts it (the real entry, in a process of its own),
 * with the Training tab open throughout: 100,000 iterations of the
 * book's network (batch 100, every image evaluated every 600 iterations, evaluation on the second
 * worker). Long tasks on the page's main thread (PerformanceObserver 'longtask') are recorded to
 * docs/perf/long-tasks.json: a report, not a timed assertion, beside the stalls a probe process
 * saw on the machine in the same time (stall-probe.ts). The test checks that the charts
 * hold every loss and every evaluation point, and that the raw losses stay exportable.
 *
 * It takes minutes, so it runs only with BPS_LONG_RUN=1 (iterations: BPS_LONG_RUN_ITERS, default
 * 100000). Needs the built renderer (out/renderer).
 */
import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Browser, type Page } from 'playwright-core'
import { CHROMIUM, ROOT, startWebProcess, type WebProcess } from './web-session'
import { overlapping, PROBE_SLEEP_MS, startStallProbe, type Stall } from './stall-probe'

const REPORT = join(ROOT, 'docs/perf/long-tasks.json')
const ITERS = Number(process.env.BPS_LONG_RUN_ITERS ?? 100_000)
const EVAL_EVERY = 600

interface LongTask { startMs: number; durationMs: number }
declare global {
  interface Window { __longTasks?: LongTask[] }
}

describe.runIf(existsSync(CHROMIUM) && process.env.BPS_LONG_RUN === '1')('a 100,000-iteration run with the Training tab open', () => {
  let session: WebProcess | undefined
  let browser: Browser
  let page: Page
  const problems: string[] = []

  beforeAll(async () => {
    // the real entry, as a user starts it, in a process of its own
    session = await startWebProcess('long')
    ;({ browser } = session)
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 })
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
    // registered before the app's scripts, so every long task from the first one is seen
    await page.addInitScript(() => {
      const tasks: LongTask[] = (window.__longTasks = [])
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) tasks.push({ startMs: e.startTime, durationMs: e.duration })
      }).observe({ type: 'longtask', buffered: true })
    })
    await page.goto(session.url)
    await page.waitForFunction(() => !document.querySelector('[data-testid="train-start"]')?.hasAttribute('disabled'))
  })

  afterAll(async () => {
    await session?.close()
  })

  it('draws every loss and evaluation point and records the long tasks', async () => {
    await page.getByTestId('hp-iters').fill(String(ITERS))
    await page.getByTestId('hp-eval-every').fill(String(EVAL_EVERY))
    await page.getByTestId('hp-eval-all').selectOption({ label: 'All' })
    const t0 = Date.now()
    const probe = startStallProbe()
    const startedAt = await page.evaluate(() => performance.now())
    let seconds = 0
    let stalls: Stall[] = []
    try {
      await page.getByTestId('train-start').click()
      await page.waitForFunction(() => document.querySelector('[data-testid="train-progress"]')?.textContent?.includes('Finished'), undefined, { timeout: 30 * 60_000, polling: 1000 })
      seconds = (Date.now() - t0) / 1000
    } finally {
      // a run that fails ends its probe too
      stalls = await probe.stop()
    }
    // the last redraw is paced after the one before it: wait for the charts to catch up
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="loss-chart"]')?.getAttribute('data-drawn')) >= n, ITERS, { timeout: 30_000 }).catch(() => undefined)

    const lossPoints = Number(await page.getByTestId('loss-chart').getAttribute('data-points'))
    const drawnLoss = Number(await page.getByTestId('loss-chart').getAttribute('data-drawn'))
    const accPoints = Number(await page.getByTestId('accuracy-chart').getAttribute('data-points'))
    // iteration 0, every 600th after it, and the final weights when the last iteration is not one of those
    const evaluations = Math.floor((ITERS - 1) / EVAL_EVERY) + 1 + ((ITERS - 1) % EVAL_EVERY === 0 ? 0 : 1)
    expect(lossPoints).toBe(ITERS)
    expect(drawnLoss).toBe(ITERS)
    expect(accPoints).toBe(evaluations)

    const tasks = (await page.evaluate(() => window.__longTasks ?? [])).filter((t) => t.startMs >= startedAt)
    const durations = tasks.map((t) => t.durationMs).sort((a, b) => b - a)
    const timeline = tasks.map((t): [number, number] => [Math.round((t.startMs - startedAt) / 100) / 10, Math.round(t.durationMs)])
    const stallsOver50 = stalls.filter(([, ms]) => ms > 50 + PROBE_SLEEP_MS)
    await mkdir(join(ROOT, 'docs/perf'), { recursive: true })
    await writeFile(REPORT, `${JSON.stringify({
      what: 'long tasks (PerformanceObserver longtask, > 50 ms) on the page main thread during a web-mode run, Training tab open throughout',
      iterations: ITERS,
      batchSize: 100,
      evalEvery: EVAL_EVERY,
      evalSamples: 'all',
      workers: availableParallelism(),
      /** The scheduling group of the server process (Linux): its own session's, at background priority. */
      serverAutogroup: session?.autogroup ?? null,
      evaluations: accPoints,
      lossPoints,
      runSeconds: seconds,
      browser: browser.version(),
      longTasks: {
        count: tasks.length,
        over50ms: durations.filter((d) => d > 50).length,
        maxMs: durations[0] ?? 0,
        totalMs: durations.reduce((s, d) => s + d, 0),
        durationsMs: durations.map((d) => Math.round(d)),
        /** [seconds after the start, duration in ms], in order. */
        timeline,
        /** Long tasks over 50 ms during which the probe below was stalled too. */
        over50msDuringMachineStalls: overlapping(timeline.filter(([, ms]) => ms > 50), stalls),
      },
      machineStalls: {
        what: `a separate process sleeping ${PROBE_SLEEP_MS} ms at a time: wake-ups more than 20 ms late as [seconds after the start (end of the gap), gap in ms, the sleep included]; over50ms counts those more than 50 ms late`,
        over50ms: stallsOver50.length,
        maxMs: Math.max(0, ...stalls.map(([, ms]) => ms)),
        timeline: stalls,
      },
    }, null, 2)}\n`)
    expect(problems).toEqual([])
  }, 40 * 60_000)
})
