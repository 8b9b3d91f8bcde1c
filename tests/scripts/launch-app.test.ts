import { spawn } from 'node:child_process'
import { access, chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { findElectronBinary, hasDisplay, type Command } from '../../scripts/launch-app'

const ROOT = join(import.meta.dirname, '../..')
const require = createRequire(import.meta.url)
const TSX = require.resolve('tsx/cli')
const ELECTRON_VITE = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js')
const NODE = process.execPath
const URL_LINE = /^Backprop Studio web: (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)$/m

let work: string
let electronDir: string
/** Written by the installer fakes when they run, so a test can tell whether they did. */
let installerRan: string

beforeAll(async () => {
  // the web fallback and electron-vite preview --skipBuild serve this build (npm test builds first)
  await access(join(ROOT, 'out/renderer/index.html'))
})

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'launch-app-'))
  electronDir = join(work, 'electron')
  installerRan = join(work, 'installer-ran')
  await mkdir(electronDir)
})

afterEach(async () => {
  await rm(work, { recursive: true, force: true })
})

/** A Node script written to the work folder, as a command. */
async function nodeScript(name: string, source: string): Promise<Command> {
  const file = join(work, name)
  await writeFile(file, source)
  return [NODE, file]
}

/** Electron's installer failing as it does offline: a stack on stderr, status 1. */
function failingInstaller(): Promise<Command> {
  return nodeScript('fail-install.cjs', `
    require('node:fs').writeFileSync(${JSON.stringify(installerRan)}, '')
    console.error('RequestError: getaddrinfo ENOTFOUND github.com\\n    at ClientRequest.<anonymous> (got/dist/source/core/index.js:970:111)')
    process.exit(1)
  `)
}

/** Electron's installer succeeding: it extracts dist/ and writes path.txt, as install.js does. */
function workingInstaller(): Promise<Command> {
  return nodeScript('install.cjs', `
    const fs = require('node:fs'), path = require('node:path')
    fs.writeFileSync(${JSON.stringify(installerRan)}, '')
    const dir = ${JSON.stringify(electronDir)}
    fs.mkdirSync(path.join(dir, 'dist'))
    fs.writeFileSync(path.join(dir, 'dist', 'electron'), '#!/bin/sh\\necho "fake electron $*"\\n', { mode: 0o755 })
    fs.writeFileSync(path.join(dir, 'path.txt'), 'electron')
  `)
}

/** An installed Electron whose binary is a shell script printing its arguments. */
async function fakeElectron(): Promise<string> {
  await mkdir(join(electronDir, 'dist'))
  const binary = join(electronDir, 'dist', 'electron')
  await writeFile(binary, '#!/bin/sh\necho "fake electron $*"\n')
  await chmod(binary, 0o755)
  await writeFile(join(electronDir, 'path.txt'), 'electron')
  return binary
}

/** The real web fallback minus its build step (the build is already there). */
function realWeb(): Command[] {
  return [[NODE, TSX, 'electron/web/index.ts', '--data-dir', join(work, 'data')]]
}

interface Launch {
  electronVite: Command
  web: readonly Command[]
  installer: Command
  env: Record<string, string>
  args?: string[]
  /** Called with web mode's URL once it is printed; then the launcher gets SIGTERM. */
  whileServing?: (url: string) => Promise<void>
}

interface Outcome {
  code: number | null
  stdout: string
  stderr: string
}

/**
 * Runs launchApp in its own process, as `npm start` does, on linux with the given environment
 * (and nothing of this machine's DISPLAY).
 */
async function launch(options: Launch): Promise<Outcome> {
  const driver = join(work, 'driver.ts')
  await writeFile(driver, `
    import { launchApp } from ${JSON.stringify(join(ROOT, 'scripts/launch-app.ts'))}
    const o = JSON.parse(process.argv[2])
    launchApp({ ...o, say: (line: string) => process.stderr.write(line + '\\n') }, o.args)
      .then((code) => { process.exitCode = code })
  `)
  const { DISPLAY: _d, WAYLAND_DISPLAY: _w, ELECTRON_EXEC_PATH: _e, ELECTRON_OVERRIDE_DIST_PATH: _o, BACKPROP_NO_WEB_FALLBACK: _n, ...base } = process.env
  const config = {
    electronDir, installer: options.installer, electronVite: options.electronVite, web: options.web,
    env: { ...base, ...options.env }, platform: 'linux', cwd: ROOT, args: options.args ?? [],
  }
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [TSX, driver, JSON.stringify(config)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let served = false
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString()
      const url = URL_LINE.exec(stdout)?.[1]
      if (!url || served || !options.whileServing) return
      served = true
      options.whileServing(url).then(() => child.kill('SIGTERM'), reject)
    })
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '')

describe('launchApp: no Electron binary to be had', () => {
  it('says why in one line after the download fails, then serves web mode and prints its URL line', async () => {
    let served = ''
    const outcome = await launch({
      installer: await failingInstaller(),
      electronVite: await nodeScript('vite.cjs', 'console.log("electron-vite ran"); process.exit(3)'),
      web: realWeb(),
      env: { DISPLAY: ':0' },
      whileServing: async (url) => { served = await fetch(url).then((r) => r.text()) },
    })
    expect(outcome.stdout).toMatch(URL_LINE)
    expect(existsSync(installerRan)).toBe(true)
    expect(lines(outcome.stderr)).toEqual([
      "Downloading Electron's binary (first run only)…",
      "Electron's binary could not be downloaded (RequestError: getaddrinfo ENOTFOUND github.com); serving web mode instead (set BACKPROP_NO_WEB_FALLBACK=1 to fail instead).",
    ])
    expect(outcome.stdout).not.toContain('electron-vite ran')
    // SIGTERM reached the server through the launcher, which exits with the server's status
    expect(outcome.code).toBe(0)
    // the page the URL opens is the app's
    expect(served).toContain('<title>Backprop Studio</title>')
  })

  it('says there is no display, skips the download and runs the web steps in turn', async () => {
    const outcome = await launch({
      installer: await failingInstaller(),
      electronVite: await nodeScript('vite.cjs', 'console.log("electron-vite ran")'),
      web: [
        await nodeScript('build.cjs', 'console.log("built")'),
        await nodeScript('serve.cjs', 'console.log("Backprop Studio web: http://127.0.0.1:1/?token=ab"); process.exit(4)'),
      ],
      env: {},
    })
    expect(existsSync(installerRan)).toBe(false)
    expect(lines(outcome.stderr)).toEqual([
      'There is no display to open a window on (neither DISPLAY nor WAYLAND_DISPLAY is set); serving web mode instead (set BACKPROP_NO_WEB_FALLBACK=1 to fail instead).',
    ])
    expect(lines(outcome.stdout)).toEqual(['built', 'Backprop Studio web: http://127.0.0.1:1/?token=ab'])
    expect(outcome.code).toBe(4)
  })

  it('stops at a failed web build', async () => {
    const outcome = await launch({
      installer: await failingInstaller(),
      electronVite: await nodeScript('vite.cjs', 'console.log("electron-vite ran")'),
      web: [await nodeScript('build.cjs', 'process.exit(2)'), await nodeScript('serve.cjs', 'console.log("served")')],
      env: {},
    })
    expect(outcome.stdout).toBe('')
    expect(outcome.code).toBe(2)
  })

  it('fails with one line instead when BACKPROP_NO_WEB_FALLBACK=1 or --no-web-fallback is given', async () => {
    const web = [await nodeScript('serve.cjs', 'console.log("served")')]
    const vite = await nodeScript('vite.cjs', 'console.log("electron-vite ran")')
    const byVariable = await launch({ installer: await failingInstaller(), electronVite: vite, web, env: { DISPLAY: ':0', BACKPROP_NO_WEB_FALLBACK: '1' } })
    expect(byVariable.code).toBe(1)
    expect(byVariable.stdout).toBe('')
    expect(lines(byVariable.stderr).at(-1)).toBe(
      "Electron's binary could not be downloaded (RequestError: getaddrinfo ENOTFOUND github.com); not serving web mode because BACKPROP_NO_WEB_FALLBACK=1 or --no-web-fallback was given.")

    const byFlag = await launch({ installer: await failingInstaller(), electronVite: vite, web, env: {}, args: ['--no-web-fallback'] })
    expect(byFlag.code).toBe(1)
    expect(byFlag.stdout).toBe('')
    expect(lines(byFlag.stderr)).toEqual([
      'There is no display to open a window on (neither DISPLAY nor WAYLAND_DISPLAY is set); not serving web mode because BACKPROP_NO_WEB_FALLBACK=1 or --no-web-fallback was given.',
    ])
  })
})

describe('launchApp: Electron binary there or downloaded', () => {
  it('runs the real electron-vite preview with the installed binary, without running the installer', async () => {
    const binary = await fakeElectron()
    const outcome = await launch({
      installer: await failingInstaller(),
      electronVite: [NODE, ELECTRON_VITE, 'preview'],
      web: [await nodeScript('serve.cjs', 'console.log("served")')],
      env: { DISPLAY: ':0' },
      args: ['--skipBuild'],
    })
    expect(existsSync(installerRan)).toBe(false)
    expect(outcome.stderr).toBe('')
    // electron-vite starts the project (".") with the binary it was given
    expect(outcome.stdout).toContain('fake electron .')
    expect(outcome.stdout).not.toContain('served')
    expect(outcome.code).toBe(0)
    expect(findElectronBinary(electronDir, {})).toBe(binary)
  })

  it('downloads through the installer when the binary is missing, then launches with it', async () => {
    const outcome = await launch({
      installer: await workingInstaller(),
      electronVite: await nodeScript('vite.cjs', 'console.log("ELECTRON_EXEC_PATH=" + process.env.ELECTRON_EXEC_PATH, process.argv.slice(2).join(" "))'),
      web: [await nodeScript('serve.cjs', 'console.log("served")')],
      env: { WAYLAND_DISPLAY: 'wayland-0' },
      args: ['--watch'],
    })
    expect(existsSync(installerRan)).toBe(true)
    expect(lines(outcome.stderr)).toEqual(["Downloading Electron's binary (first run only)…"])
    expect(lines(outcome.stdout)).toEqual([`ELECTRON_EXEC_PATH=${join(electronDir, 'dist', 'electron')} --watch`])
    expect(outcome.code).toBe(0)
  })
})

describe('findElectronBinary', () => {
  it('finds nothing without path.txt, or when path.txt names a missing file', async () => {
    expect(findElectronBinary(electronDir, {})).toBeNull()
    await writeFile(join(electronDir, 'path.txt'), 'electron')
    expect(findElectronBinary(electronDir, {})).toBeNull()
  })

  it('honours ELECTRON_OVERRIDE_DIST_PATH as Electron does, and ELECTRON_EXEC_PATH as electron-vite does', async () => {
    await writeFile(join(electronDir, 'path.txt'), 'electron')
    const elsewhere = join(work, 'elsewhere')
    await mkdir(elsewhere)
    await writeFile(join(elsewhere, 'electron'), '')
    expect(findElectronBinary(electronDir, { ELECTRON_OVERRIDE_DIST_PATH: elsewhere })).toBe(join(elsewhere, 'electron'))
    expect(findElectronBinary(electronDir, { ELECTRON_EXEC_PATH: join(elsewhere, 'electron') })).toBe(join(elsewhere, 'electron'))
    expect(findElectronBinary(electronDir, { ELECTRON_EXEC_PATH: join(elsewhere, 'missing') })).toBeNull()
  })
})

describe('hasDisplay', () => {
  it('needs DISPLAY or WAYLAND_DISPLAY on Linux only', () => {
    expect(hasDisplay('linux', {})).toBe(false)
    expect(hasDisplay('linux', { DISPLAY: '' })).toBe(false)
    expect(hasDisplay('linux', { DISPLAY: ':1' })).toBe(true)
    expect(hasDisplay('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toBe(true)
    expect(hasDisplay('darwin', {})).toBe(true)
    expect(hasDisplay('win32', {})).toBe(true)
  })
})
