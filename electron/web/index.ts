/**
 * `npm run web [-- --port N] [--data-dir DIR]`: serves the built renderer and the back end on
 * 127.0.0.1 and prints exactly one line, the URL with its token, to stdout.
 */
import { access, mkdir } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { UsageError } from '../../shared/command-line/usage-error'
import { numberFlag, parseFlags, stringFlag } from '../../shared/command-line/parse-flags'
import { startWebServer } from './server'

const USAGE = `Backprop Studio in a browser: npm run web [-- --port N] [--data-dir DIR]

  --port N        listen on 127.0.0.1:N (default: a free port)
  --data-dir DIR  where models and settings live (default: ~/.backprop-studio)`

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`)
    return
  }
  const flags = parseFlags(argv, { port: 'string', 'data-dir': 'string' })
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

  const server = await startWebServer({ port, userDataDir, rendererDir })
  process.stdout.write(`Backprop Studio web: ${server.url}\n`)

  let stopping = false
  const stop = (): void => {
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
}

main(process.argv.slice(2)).catch((e: unknown) => {
  const err = e instanceof Error ? e : new Error(String(e))
  process.stderr.write(`backprop-studio web: ${err.message}\n`)
  process.exitCode = 1
})
