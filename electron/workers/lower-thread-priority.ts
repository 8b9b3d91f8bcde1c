import { readlinkSync } from 'node:fs'
import { setPriority } from 'node:os'

/**
 * The nice value of a compute thread (training, evaluation, the kernel helper). It only matters
 * while threads compete for a core: alone, training runs as fast as at 0; beside the window's
 * threads on a small machine, those run first when they wake instead of waiting behind a step,
 * so the interface stays smooth while training takes the rest. The scheduler gives a thread at
 * nice 10 about a tenth of the weight of one at 0.
 */
export const COMPUTE_NICE = 10

/**
 * Lowers the calling thread's scheduling priority to COMPUTE_NICE, on Linux, where a thread is a
 * task of its own with its own nice value. Elsewhere the only call sets the whole process's,
 * which would slow the window too, so it does nothing. Best effort: a refusal is ignored.
 */
export function lowerThreadPriority(): void {
  if (process.platform !== 'linux') return
  try {
    // "/proc/thread-self" links to "<pid>/task/<tid>"
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop())
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, COMPUTE_NICE)
  } catch {
    // no /proc, or a sandbox that forbids it: the thread keeps its priority
  }
}
