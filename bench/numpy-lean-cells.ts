import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { numpyLeanEnv } from './numpy-lean'

/** NumPy written well, kept running to time grid cells one at a time (numpy_lean.py --cells). */
export interface NumpyLeanCells {
  /** Its process id: not part of our process tree's memory. */
  pid: number
  /** Milliseconds per iteration of one cell, in steady state, timed as numpy_lean.py times them. */
  run(hiddenSizes: readonly number[], batch: number): Promise<number>
  close(): void
}

/**
 * Starts numpy_lean.py in its cell mode: it loads MNIST once, then times each cell it is sent. The
 * bench alternates these with its own, cell by cell, so that both meet the machine in the same
 * state: on a shared host its speed drifts by half over a minute, and a grid of ours followed by a
 * grid of NumPy's compared two different machines. Null where python3 with numpy is missing.
 */
export async function startNumpyLeanCells(dataDir: string, gridIters: number): Promise<NumpyLeanCells | null> {
  const script = fileURLToPath(new URL('./numpy_lean.py', import.meta.url))
  const child = spawn('python3', [script, dataDir, '--iters', '0', '--cells', '--grid-iters', String(gridIters)], { stdio: ['pipe', 'pipe', 'pipe'], env: numpyLeanEnv() })
  const lines = createInterface({ input: child.stdout })
  const waiting: ((line: string | null) => void)[] = []
  const queued: string[] = []
  let ended = false
  lines.on('line', (line) => { const w = waiting.shift(); if (w) w(line); else queued.push(line) })
  const end = () => { ended = true; for (const w of waiting.splice(0)) w(null) }
  child.on('close', end)
  child.on('error', end)
  child.stderr.resume()
  // a write to a process that has ended fails here, and run() reports it
  child.stdin.on('error', end)
  const next = (): Promise<string | null> => {
    if (queued.length) return Promise.resolve(queued.shift()!)
    if (ended) return Promise.resolve(null)
    return new Promise((resolve) => waiting.push(resolve))
  }
  const ready = await next()
  if (ready !== '{"ready": true}') {
    child.kill()
    return null
  }
  return {
    pid: child.pid!,
    async run(hiddenSizes, batch) {
      if (!child.stdin.writableEnded) child.stdin.write(`${JSON.stringify([hiddenSizes, batch])}\n`)
      const line = await next()
      if (line === null) throw new Error(`numpy_lean.py ended before timing ${hiddenSizes.join('-')} at batch ${batch}`)
      return (JSON.parse(line) as { msPerIter: number }).msPerIter
    },
    close() {
      child.stdin.end()
    },
  }
}
