/**
 * `npm start` (= `tsx scripts/start.ts preview`) and `npm run dev` (= `… dev`): electron-vite with
 * Electron's binary provisioned first, or web mode when no window can be had (scripts/launch-app.ts).
 * Arguments after the mode go to electron-vite; --no-web-fallback turns the fallback off.
 */
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { launchApp } from './launch-app'

const MODES = ['preview', 'dev'] as const
type Mode = (typeof MODES)[number]

const root = fileURLToPath(new URL('..', import.meta.url))
const require = createRequire(import.meta.url)
const packageDir = (name: string): string => dirname(require.resolve(`${name}/package.json`))
const electronDir = packageDir('electron')
const electronVite = join(packageDir('electron-vite'), 'bin', 'electron-vite.js')
const tsx = require.resolve('tsx/cli')

const [mode, ...args] = process.argv.slice(2)
if (!MODES.includes(mode as Mode)) {
  process.stderr.write(`usage: tsx scripts/start.ts ${MODES.join('|')} [electron-vite arguments]\n`)
  process.exit(2)
}

launchApp({
  electronDir,
  installer: [process.execPath, join(electronDir, 'install.js')],
  electronVite: [process.execPath, electronVite, mode],
  web: [
    [process.execPath, electronVite, 'build', '--logLevel', 'error'],
    [process.execPath, tsx, join('electron', 'web', 'index.ts')],
  ],
  env: process.env,
  platform: process.platform,
  say: (line) => process.stderr.write(`${line}\n`),
  cwd: root,
}, args).then((code) => { process.exitCode = code })
