/**
 * What `npm start` and `npm run dev` do before electron-vite: make sure Electron's binary is there
 * (Electron 42+ downloads it on first use, not at `npm install`, and electron-vite only reads
 * node_modules/electron/path.txt, so it never triggers that download), then either launch
 * electron-vite with that binary, or, when no window can be had, serve web mode instead.
 *
 * Everything the machine decides (Electron's folder, its installer, the commands, the environment)
 * comes in through LaunchOptions, so tests run it against fakes; scripts/start.ts fills in the real ones.
 */
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** A program and its arguments, spawned without a shell. */
export type Command = readonly [string, ...string[]]

export interface LaunchOptions {
  /** node_modules/electron: path.txt names the executable inside its dist/. */
  electronDir: string
  /** Electron's own installer (its `install-electron` bin); it exits non-zero when the download fails. */
  installer: Command
  /** electron-vite preview or dev, with the user's extra arguments; run with ELECTRON_EXEC_PATH set. */
  electronVite: Command
  /** Web mode: run one after another; the last one serves and prints the URL line. */
  web: readonly Command[]
  env: NodeJS.ProcessEnv
  platform: NodeJS.Platform
  /** Where the launcher's own one-line messages go. */
  say: (line: string) => void
  /** The project root, where every command runs. */
  cwd: string
}

/** Set to 1 (or pass --no-web-fallback) to fail instead of falling back to web mode. */
export const NO_FALLBACK_VARIABLE = 'BACKPROP_NO_WEB_FALLBACK'
export const NO_FALLBACK_FLAG = '--no-web-fallback'

/**
 * The Electron executable, as electron-vite would run it, or null when it is not on disk.
 * ELECTRON_EXEC_PATH (electron-vite's own override) wins; ELECTRON_OVERRIDE_DIST_PATH is
 * honoured as Electron's index.js does.
 */
export function findElectronBinary(electronDir: string, env: NodeJS.ProcessEnv): string | null {
  if (env.ELECTRON_EXEC_PATH) return existsSync(env.ELECTRON_EXEC_PATH) ? env.ELECTRON_EXEC_PATH : null
  const pathFile = join(electronDir, 'path.txt')
  if (!existsSync(pathFile)) return null
  const relative = readFileSync(pathFile, 'utf8').trim()
  const binary = env.ELECTRON_OVERRIDE_DIST_PATH ? join(env.ELECTRON_OVERRIDE_DIST_PATH, relative) : join(electronDir, 'dist', relative)
  return existsSync(binary) ? binary : null
}

/** Chromium on Linux needs an X11 or Wayland server; macOS and Windows always have a desktop. */
export function hasDisplay(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): boolean {
  if (platform !== 'linux') return true
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY)
}

/** Runs the app; resolves with the exit status for the launcher to exit with. */
export async function launchApp(options: LaunchOptions, args: readonly string[]): Promise<number> {
  const noFallback = options.env[NO_FALLBACK_VARIABLE] === '1' || args.includes(NO_FALLBACK_FLAG)
  const passOn = args.filter((a) => a !== NO_FALLBACK_FLAG)

  // without a display there is no window to download a binary for
  const binary: Provision = hasDisplay(options.platform, options.env)
    ? await provideElectron(options)
    : { path: null, problem: 'There is no display to open a window on (neither DISPLAY nor WAYLAND_DISPLAY is set)' }

  if (binary.path === null) {
    if (noFallback) {
      options.say(`${binary.problem}; not serving web mode because ${NO_FALLBACK_VARIABLE}=1 or ${NO_FALLBACK_FLAG} was given.`)
      return 1
    }
    options.say(`${binary.problem}; serving web mode instead (set ${NO_FALLBACK_VARIABLE}=1 to fail instead).`)
    return runInTurn(options.web, options)
  }
  const [program, ...rest] = options.electronVite
  return run([program, ...rest, ...passOn], options, { ELECTRON_EXEC_PATH: binary.path })
}

type Provision = { path: string; problem?: undefined } | { path: null; problem: string }

/** The binary, downloaded through Electron's installer only when it is missing. */
async function provideElectron(options: LaunchOptions): Promise<Provision> {
  const found = findElectronBinary(options.electronDir, options.env)
  if (found) return { path: found }
  if (options.env.ELECTRON_EXEC_PATH) {
    return { path: null, problem: `ELECTRON_EXEC_PATH names ${options.env.ELECTRON_EXEC_PATH}, which does not exist` }
  }
  options.say("Downloading Electron's binary (first run only)…")
  const installed = await capture(options.installer, options)
  const after = findElectronBinary(options.electronDir, options.env)
  if (after) return { path: after }
  const reason = installed.code === 0 ? 'the installer finished but left no binary' : firstLine(installed.output) ?? `the installer exited with status ${installed.code}`
  return { path: null, problem: `Electron's binary could not be downloaded (${reason})` }
}

/** The first line that says something, without the stack that follows it. */
function firstLine(output: string): string | null {
  const line = output.split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '')
  if (!line) return null
  return line.length > 160 ? `${line.slice(0, 157)}…` : line
}

function capture([program, ...args]: Command, options: LaunchOptions): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(program, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
    child.on('error', (e) => resolve({ code: 1, output: e.message }))
    // the installer reports a failure as a stack on stderr; its stdout is progress
    child.on('close', (code) => resolve({ code: code ?? 1, output: stderr.trim() ? stderr : stdout }))
  })
}

async function runInTurn(commands: readonly Command[], options: LaunchOptions): Promise<number> {
  for (const command of commands) {
    const code = await run(command, options, {})
    if (code !== 0) return code
  }
  return 0
}

/**
 * Runs a command in the foreground. Ctrl-C reaches it from the terminal directly; a signal sent
 * to the launcher alone is passed on, and the launcher waits for the command to finish.
 */
function run([program, ...args]: Command, options: LaunchOptions, extraEnv: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(program, args, { cwd: options.cwd, env: { ...options.env, ...extraEnv }, stdio: 'inherit' })
    const forward = (signal: NodeJS.Signals): void => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    }
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']
    for (const s of signals) process.on(s, forward)
    const done = (code: number): void => {
      for (const s of signals) process.off(s, forward)
      resolve(code)
    }
    child.on('error', (e) => {
      options.say(`${program} could not be started: ${e.message}`)
      done(1)
    })
    child.on('close', (code, signal) => done(code ?? (signal ? 1 : 0)))
  })
}
