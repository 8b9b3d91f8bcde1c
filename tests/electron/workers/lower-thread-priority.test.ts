import { readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { Worker } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { COMPUTE_NICE, lowerThreadPriority } from '../../../electron/workers/lower-thread-priority'

/** A task's nice value: field 19 of /proc/<pid>/task/<tid>/stat, counted after the command's ")". */
const niceOf = (tid: string) => {
  const stat = readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8')
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])
}

describe.runIf(process.platform === 'linux')('lowerThreadPriority', () => {
  it('lowers the calling thread alone to COMPUTE_NICE', async () => {
    // a worker thread that stays alive, so its task (nice 0, inherited) can be read after the call
    const worker = new Worker('setInterval(() => {}, 1000)', { eval: true })
    await new Promise((resolve) => worker.once('online', resolve))
    const me = readlinkSync('/proc/thread-self').split('/').pop()!
    const others = readdirSync(`/proc/${process.pid}/task`).filter((tid) => tid !== me)
    expect(niceOf(me)).toBe(0)
    lowerThreadPriority()
    expect(niceOf(me)).toBe(COMPUTE_NICE)
    expect(others.length).toBeGreaterThan(1)
    for (const tid of others) expect(niceOf(tid)).toBe(0)
    await worker.terminate()
  })
})
