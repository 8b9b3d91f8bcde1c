/**
 * Bundles the bench and the workers (training; file, which builds the dataset) into out/bench,
 * so `npm run bench` measures the same kind of code the app runs: bundled JavaScript, not
 * TypeScript compiled on the fly.
 */
import { readdirSync } from 'node:fs'
import { copyFile, mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))
const outdir = `${root}/out/bench`

await mkdir(outdir, { recursive: true })
await build({
  // every worker entry, where electron/services/spawn-worker.ts looks for it beside index.js
  entryPoints: {
    index: `${root}/bench/index.ts`,
    ...Object.fromEntries(readdirSync(`${root}/electron/workers`).filter((f) => f.endsWith('.worker.ts'))
      .map((f) => [f.slice(0, -'.ts'.length), `${root}/electron/workers/${f}`])),
  },
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outExtension: { '.js': '.js' },
  logLevel: 'warning',
  // bundled ESM has no require(); some dependencies ask for it
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
})
for (const script of ['numpy_book.py', 'numpy_lean.py']) await copyFile(`${root}/bench/${script}`, `${outdir}/${script}`)
