import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { BACKGROUND_SESSION_ENV } from '../../../electron/web/background-session'
import { COMPUTE_NICE } from '../../../electron/workers/lower-thread-priority'

const FIXTURE = join(import.meta.dirname, 'fixtures/background-server.ts')

interface Report { pid: number; sid: number; relaunched: boolean; autogroup: string }

/** Starts the fixture under Node with tsx's loader; lines of its stdout (and the relaunched one's) in order. */
function launch(env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
  const lines: string[] = []
  const waiters: (() => void)[] = []
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line)
    for (const w of waiters.splice(0)) w()
  })
  const line = async (n: number): Promise<string> => {
    while (lines.length <= n) await new Promise<void>((resolve) => waiters.push(resolve))
    return lines[n]
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { child, line, exited }
}

const alive = (pid: number) => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ')
async function until(test: () => boolean, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms
  while (!test() && Date.now() < end) await new Promise((r) => setTimeout(r, 50))
  return test()
}

describe.runIf(process.platform === 'linux')('relaunchInBackgroundSession', () => {
  const started: ChildProcess[] = []
  const reports: Report[] = []
  afterEach(() => {
    for (const c of started.splice(0)) c.kill('SIGKILL')
    for (const r of reports.splice(0)) if (alive(r.pid)) process.kill(r.pid, 'SIGKILL')
  })

  it('serves from a session of its own, its scheduling group at COMPUTE_NICE', async () => {
    const { child, line } = launch()
    started.push(child)
    const report = JSON.parse(await line(0)) as Report
    reports.push(report)
    expect(report.relaunched).toBe(true)
    expect(report.pid).not.toBe(child.pid)
    // the session leader of a new session: its own autogroup, not the launcher's terminal's
    expect(report.sid).toBe(report.pid)
    if (existsSync('/proc/self/autogroup')) {
      expect(report.autogroup).toMatch(new RegExp(`nice ${COMPUTE_NICE}$`))
      // the launcher's group, and so the terminal's, keeps its priority
      expect(readFileSync('/proc/self/autogroup', 'utf8')).not.toBe(`${report.autogroup}\n`)
    }
  })

  it('passes Ctrl+C on and exits with the relaunched server\'s code', async () => {
    const { child, line, exited } = launch()
    started.push(child)
    const report = JSON.parse(await line(0)) as Report
    reports.push(report)
    child.kill('SIGINT')
    expect(await line(1)).toBe('interrupted')
    expect(await exited).toBe(3)
    expect(await until(() => !alive(report.pid))).toBe(true)
  })

  it('ends the relaunched server when the launcher is killed outright', async () => {
    const { child, line } = launch()
    started.push(child)
    const report = JSON.parse(await line(0)) as Report
    reports.push(report)
    child.kill('SIGKILL')
    expect(await line(1)).toBe('orphaned')
    expect(await until(() => !alive(report.pid))).toBe(true)
  })

  it('does not relaunch a process that is already the relaunched one', async () => {
    const { child, line } = launch({ [BACKGROUND_SESSION_ENV]: '1' })
    started.push(child)
    const report = JSON.parse(await line(0)) as Report
    expect(report.pid).toBe(child.pid)
    expect(report.relaunched).toBe(true)
    expect(report.sid).not.toBe(report.pid)
  })
})
