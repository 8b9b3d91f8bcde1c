/**
 * `npm run web [-- --port N] [--data-dir DIR] [--normal-priority]`: serves the built renderer and
 * the back end on 127.0.0.1 and prints exactly one line, the URL with its token, to stdout. On
 * Linux the server runs as a session of its own at background priority (background-session.ts).
 */
import { access, mkdir } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { UsageError } from '../../shared/command-line/usage-error'
import { numberFlag, parseFlags, stringFlag } from '../../shared/command-line/parse-flags'
import { relaunchInBackgroundSession, settleBackgroundSession } from './background-session'
import { startWebServer } from './server'

const USAGE = `Backprop Studio in a browser: npm run web [-- --port N] [--data-dir DIR] [--normal-priority]

  --port N           listen on 127.0.0.1:N (default: a free port)
  --data-dir DIR     where models and settings live (default: ~/.backprop-studio)
  --normal-priority  train at the priority of other programs; by default, on Linux, the server
                     runs at background priority (nice 10) so the browser stays smooth`

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`)
    return
  }
  const flags = parseFlags(argv, { port: 'string', 'data-dir': 'string', 'normal-priority': 'boolean' })
  const port = numberFlag(flags, 'port', 0)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: expected 0…65535, got ${port}`)
  const userDataDir = resolve(stringFlag(flags, 'data-dir') ?? join(homedir(), '.backprop-studio'))
  await mkdir(userDataDir, { recursive: true })

  const rendererDir = fileURLToPath(new URL('../../out/renderer/', import.meta.url))
  try {
    await access(join(rendererDir, 'index.html'))
  } catch {
    throw new UsageError(`${join(rendererDir, 'index.html')} is missing; build first with \`npx electron-vite build\` (npm run web does)`)
  }

  if (!flags.has('normal-priority')) {
    const code = await relaunchInBackgroundSession()
    if (code !== null) {
      process.exitCode = code
      return
    }
  }
  let orphaned = false
  let stop = (): void => { orphaned = true }
  // a relaunched server whose launcher is gone closes rather than serve on, unseen
  settleBackgroundSession(() => stop())

  const server = await startWebServer({ port, userDataDir, rendererDir })
  process.stdout.write(`Backprop Studio web: ${server.url}\n`)

  let stopping = false
  stop = (): void => {
    if (stopping) return
    stopping = true
    server.close().then(
      () => { process.exitCode = 0 },
      (e: unknown) => {
        process.stderr.write(`backprop-studio web: closing failed: ${e instanceof Error ? e.message : String(e)}\n`)
        process.exitCode = 1
      },
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  process.on('SIGHUP', stop)
  if (orphaned) stop()
}

main(process.argv.slice(2)).catch((e: unknown) => {
  const err = e instanceof Error ? e : new Error(String(e))
  process.stderr.write(`backprop-studio web: ${err.message}\n`)
  process.exitCode = 1
})
