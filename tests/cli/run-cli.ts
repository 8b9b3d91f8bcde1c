import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../', import.meta.url))
const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url))

export interface CliRun {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs `tsx cli/index.ts …args` as a user would, from the project root. */
export function runCli(args: string[], timeoutMs = 240_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, ['cli/index.ts', ...args], { cwd: root, env: { ...process.env, FORCE_COLOR: '0' } })
    let stdout = '', stderr = ''
    child.stdout.on('data', (d: Buffer) => { stdout += d })
    child.stderr.on('data', (d: Buffer) => { stderr += d })
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`cli ${args.join(' ')} timed out`)) }, timeoutMs)
    child.on('error', reject)
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }) })
  })
}

export function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>)
}
