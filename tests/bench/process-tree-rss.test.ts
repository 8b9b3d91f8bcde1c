import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { watchPeakRss } from '../../bench/process-tree-rss'

describe.runIf(process.platform === 'linux')('watchPeakRss', () => {
  it('counts child processes, except those it is told to leave out', async () => {
    // a child holding 200 MB, touched so that it is resident
    const child = spawn(process.execPath, ['-e', 'const b = Buffer.alloc(200e6, 1); console.log(b.length); setInterval(() => {}, 1000)'], { stdio: ['ignore', 'pipe', 'inherit'] })
    await new Promise((resolve) => child.stdout!.once('data', resolve))
    try {
      const all = watchPeakRss(10)()
      const ours = watchPeakRss(10, [child.pid!])()
      expect(all - ours).toBeGreaterThan(190e6)
    } finally {
      child.kill()
    }
  })
})
