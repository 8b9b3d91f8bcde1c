import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../', import.meta.url))

function runBench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url)), ['bench/index.ts', ...args], { cwd: root })
    let stdout = '', stderr = ''
    child.stdout.on('data', (d: Buffer) => { stdout += d })
    child.stderr.on('data', (d: Buffer) => { stderr += d })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('npm run bench -- --quick', () => {
  it('runs the whole bench through the worker pool and prints one JSON report', async () => {
    const run = await runBench(['--quick', '--json', '--no-numpy'])
    expect(run.code, run.stderr).toBe(0)
    const lines = run.stdout.trim().split('\n')
    expect(lines).toHaveLength(1)
    const r = JSON.parse(lines[0]) as Record<string, unknown>
    for (const key of ['seconds', 'trainSeconds', 'evalSeconds', 'samplesPerSecond', 'peakRssMB', 'trainAcc', 'testAcc', 'workers', 'gradcheckSeconds', 'apiP99Ms']) {
      expect(typeof r[key], key).toBe('number')
      expect(Number.isFinite(r[key] as number), key).toBe(true)
    }
    expect(r.workload).toBe('book-quick')
    expect(r.testAcc as number).toBeGreaterThan(0.5)
    for (const key of ['evalImagesPerSecond', 'largestCellPeakRssMB']) expect(r[key], key).toBeGreaterThan(0)
    // without numpy the comparisons are null, and present
    for (const key of ['numpySeconds', 'numpyLeanSeconds', 'ratioVsNumpyLean', 'numpyLeanEvalImagesPerSecond']) expect(r[key], key).toBeNull()
    expect(r.largestCell).toEqual({ hiddenSizes: [1000], batch: 100 })
    expect(r.gridRounds).toBe(1)
    const scaling = r.scaling as { hidden: number; hiddenSizes: number[]; batch: number; msPerIter: number; timedIters: number; startupMs: number; numpyMsPerIter: number | null; ratio: number | null; msPerIterRounds: number[]; numpyMsPerIterRounds: number[] }[]
    expect(scaling.map((s) => `${s.hiddenSizes.join('-')}x${s.batch}`)).toEqual(['50x100', '100x100', '200x100', '500x100', '1000x100', '50x32', '50x256', '100-50x100', '256-128-64x100'])
    for (const s of scaling) {
      expect(s.hidden).toBe(s.hiddenSizes[0])
      expect(s.msPerIter).toBeGreaterThan(0)
      // timed after a warm-up of at least 20 iterations of the run's 80, or whole when it was too quick to report sooner
      expect(s.timedIters === 80 || (s.timedIters > 0 && s.timedIters <= 60), `${s.timedIters}`).toBe(true)
      expect(s.startupMs).toBeGreaterThanOrEqual(0)
      expect(s.numpyMsPerIter).toBeNull()
      expect(s.ratio).toBeNull()
      // --quick runs the grid once
      expect(s.msPerIterRounds).toEqual([s.msPerIter])
      expect(s.numpyMsPerIterRounds).toEqual([])
    }
  }, 300_000)
})
