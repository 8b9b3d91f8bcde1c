/**
 * A probe of the machine, outside the page: a separate Node process that sleeps PROBE_SLEEP_MS
 * at a time and records each wake-up that came more than STALL_MS late. When such gaps line up
 * with a page's long tasks, the page was not running then, whatever its own work.
 */
import { spawn } from 'node:child_process'

export const PROBE_SLEEP_MS = 5
const STALL_MS = 20

/** [seconds after the probe started, how long the sleep took in ms] for each gap over STALL_MS. */
export type Stall = [number, number]

const PROBE = `
const cell = new Int32Array(new SharedArrayBuffer(4))
const t0 = performance.now(), stalls = []
let last = t0, running = true
process.stdin.on('data', () => { running = false })
process.stdin.on('end', () => { running = false })
const loop = () => {
  // a batch of precise sleeps, then a turn of the event loop to hear stdin
  for (let k = 0; k < 20 && running; k++) {
    Atomics.wait(cell, 0, 0, ${PROBE_SLEEP_MS})
    const now = performance.now()
    if (now - last > ${PROBE_SLEEP_MS + STALL_MS}) stalls.push([Math.round((now - t0) / 100) / 10, Math.round(now - last)])
    last = now
  }
  if (running) setImmediate(loop)
  else process.stdout.write(JSON.stringify(stalls), () => process.exit(0))
}
loop()
`

/** Starts the probe; `stop` ends it and gives what it saw. */
export function startStallProbe(): { stop(): Promise<Stall[]> } {
  const child = spawn(process.execPath, ['-e', PROBE], { stdio: ['pipe', 'pipe', 'inherit'] })
  let out = ''
  child.stdout.on('data', (d: Buffer) => { out += d })
  const closed = new Promise<void>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', () => resolve())
  })
  return {
    async stop() {
      child.stdin.end('stop\n')
      await closed
      return JSON.parse(out) as Stall[]
    },
  }
}

/** How many of the tasks ([start s, duration ms]) overlap a stall ([end s, length ms]). */
export function overlapping(tasks: [number, number][], stalls: Stall[]): number {
  return tasks.filter(([start, ms]) => stalls.some(([end, gap]) => end - gap / 1000 < start + ms / 1000 && start < end)).length
}
