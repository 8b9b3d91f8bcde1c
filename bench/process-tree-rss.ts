import { readFileSync, readdirSync } from 'node:fs'

/**
 * Resident memory in bytes of a process and all its descendants (worker threads count with their
 * process), less the subtrees of `exclude`.
 */
function processTreeRss(exclude: readonly number[], pid = process.pid): number {
  let total = 0
  const visit = (p: number) => {
    if (exclude.includes(p)) return
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8')
      const m = /VmRSS:\s+(\d+) kB/.exec(status)
      if (m) total += Number(m[1]) * 1024
      for (const tid of readdirSync(`/proc/${p}/task`)) {
        const kids = readFileSync(`/proc/${p}/task/${tid}/children`, 'utf8').trim()
        if (kids) kids.split(/\s+/).map(Number).forEach(visit)
      }
    } catch {
      // the process ended between listing and reading
    }
  }
  visit(pid)
  return total
}

/**
 * Samples processTreeRss every `ms` until stopped; returns the peak seen. `exclude`: processes
 * that are not ours to count (NumPy's, kept running beside the grid).
 */
export function watchPeakRss(ms = 50, exclude: readonly number[] = []): () => number {
  let peak = processTreeRss(exclude)
  const timer = setInterval(() => { peak = Math.max(peak, processTreeRss(exclude)) }, ms)
  return () => {
    clearInterval(timer)
    return Math.max(peak, processTreeRss(exclude))
  }
}
