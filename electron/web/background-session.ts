import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { constants } from 'node:os'
import { COMPUTE_NICE } from '../workers/lower-thread-priority'

/** Set in the relaunched process: it is the session of its own, and must not relaunch again. */
export const BACKGROUND_SESSION_ENV = 'BPS_BACKGROUND_SESSION'

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

/**
 * Web mode's back end in a scheduling group of its own, at background priority, on Linux.
 *
 * Linux shares the cores fairly between sessions (autogroups: a terminal, the desktop's launcher)
 * before it weighs the threads inside each by their nice values. The compute threads' nice 10
 * (lower-thread-priority.ts) therefore counts only against this server's own main thread, not
 * against a browser started from another session: a page that wakes to redraw a chart is weighed
 * as a group against the whole back end, and on two cores its 20 ms of drawing took 50–140 ms.
 * So web mode runs its back end as a session of its own (setsid) and lowers that session's group
 * to COMPUTE_NICE. The group holds only the server, so the terminal it was started from keeps its
 * priority; on an idle machine training runs as fast as before.
 *
 * Returns the exit code of the relaunched server, to be this process's own, or null when this
 * process should serve itself: it already is the relaunched one, it does not run on Linux, or the
 * relaunch could not be spawned.
 */
export async function relaunchInBackgroundSession(env: NodeJS.ProcessEnv = process.env): Promise<number | null> {
  if (process.platform !== 'linux' || env[BACKGROUND_SESSION_ENV] === '1') return null
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
      detached: true,
      // the IPC channel is the child's lifeline: it closes when this process dies, however it dies
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
      env: { ...env, [BACKGROUND_SESSION_ENV]: '1' },
    })
    // A terminal's Ctrl+C and hang-up reach this process only (the child has left its session).
    const forward = (signal: NodeJS.Signals) => { child.kill(signal) }
    const off = () => { for (const s of FORWARDED) process.off(s, forward) }
    child.once('spawn', () => { for (const s of FORWARDED) process.on(s, forward) })
    child.once('error', () => { off(); resolve(null) })
    child.once('exit', (code, signal) => {
      off()
      // a shell's convention for a process a signal ended: 128 + its number
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0))
    })
  })
}

/**
 * In the relaunched process: lowers its session's group to COMPUTE_NICE (best effort: a kernel
 * without autogroups has no /proc/self/autogroup) and calls `onOrphaned` when the process that
 * launched it is gone. Returns whether this process is a relaunched one.
 */
export function settleBackgroundSession(onOrphaned: () => void, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env[BACKGROUND_SESSION_ENV] !== '1') return false
  try {
    writeFileSync('/proc/self/autogroup', String(COMPUTE_NICE))
  } catch {
    // no autogroups here: the group keeps its weight, the compute threads still their nice value
  }
  if (process.channel) {
    process.once('disconnect', onOrphaned)
    // the channel alone must not keep the server alive once it has closed
    process.channel.unref()
  }
  return true
}
