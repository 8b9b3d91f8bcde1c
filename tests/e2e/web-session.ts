/**
 * What every browser test shares: web mode with the real back end and workers on a free port,
 * Debian's Chromium with the flags this machine needs, and a page that records console errors.
 */
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core'
import { startWebServer, type WebServer } from '../../electron/web/server'

export const CHROMIUM = '/usr/bin/chromium'
export const haveChromium = existsSync(CHROMIUM)
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
export const ROOT = resolve(import.meta.dirname, '../..')
export const RENDERER = join(ROOT, 'out/renderer')
export const SHOTS = join(ROOT, 'docs/screenshots')

export interface WebSession {
  server: WebServer
  browser: Browser
  /** A fresh folder for this session; the back end's user data lives in `user/` inside it. */
  dataDir: string
  close(): Promise<void>
}

/** A fresh folder for a session's data, once the built renderer (out/renderer) is there to serve. */
async function sessionDir(name: string): Promise<string> {
  if (!existsSync(join(RENDERER, 'index.html'))) throw new Error(`${RENDERER}/index.html is missing: run \`npx electron-vite build\` first (npm test does)`)
  return mkdtemp(join(tmpdir(), `bps-${name}-`))
}

/** Starts web mode over the built renderer (out/renderer) and launches Chromium. */
export async function startWebSession(name: string, poolSize = 1): Promise<WebSession> {
  const dataDir = await sessionDir(name)
  await mkdir(SHOTS, { recursive: true })
  const server = await startWebServer({ port: 0, host: '127.0.0.1', userDataDir: join(dataDir, 'user'), rendererDir: RENDERER, poolSize })
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS })
  return {
    server,
    browser,
    dataDir,
    async close() {
      await browser.close()
      await server.close()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

/**
 * A page of `browser` at 1024×700 unless told otherwise; console messages of the given levels
 * and uncaught page errors are pushed to `problems`.
 */
export async function openPage(browser: Browser, problems: string[], options: BrowserContextOptions = {}, levels: readonly string[] = ['error', 'warning']): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1024, height: 700 }, deviceScaleFactor: 1, ...options })
  page.on('console', (m) => { if (levels.includes(m.type())) problems.push(`console ${m.type()}: ${m.text()}`) })
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  return page
}

export interface WebProcess {
  /** The URL with its token, as the entry printed it. */
  url: string
  /** The scheduling group the server runs in ("/autogroup-N nice K"), where Linux has them. */
  autogroup: string | null
  browser: Browser
  close(): Promise<void>
}

/**
 * Web mode as `npm run web` serves it once built: the real entry (electron/web/index.ts) in a
 * process of its own, which on Linux relaunches itself in a background session, and Chromium.
 */
export async function startWebProcess(name: string): Promise<WebProcess> {
  const dataDir = await sessionDir(name)
  const launcher = spawn(process.execPath, ['--import', 'tsx', join('electron', 'web', 'index.ts'), '--port', '0', '--data-dir', join(dataDir, 'user')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise<void>((resolve) => launcher.once('exit', () => resolve()))
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: launcher.stdout! })
    lines.once('line', (line) => resolve(line.replace(/^Backprop Studio web: /, '')))
    launcher.once('exit', (code) => reject(new Error(`web mode exited with ${code} before printing its URL`)))
  })
  let autogroup: string | null = null
  try {
    // the relaunched server is the launcher's only child
    const child = readFileSync(`/proc/${launcher.pid}/task/${launcher.pid}/children`, 'utf8').trim().split(' ')[0]
    autogroup = readFileSync(`/proc/${child || launcher.pid}/autogroup`, 'utf8').trim()
  } catch {
    // not Linux, or no autogroups
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS })
  return {
    url,
    autogroup,
    browser,
    async close() {
      await browser.close()
      launcher.kill('SIGINT')
      await exited
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}
