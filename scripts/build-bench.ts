/**
 * Bundles the bench and the workers (training; file, which builds the dataset) into out/bench,
 * so `npm run bench` measures the same kind of code the app runs: bundled JavaScript, not
 * TypeScript compiled on the fly.
 */
import { copyFile, mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))
const outdir = `${root}/out/bench`

await mkdir(outdir, { recursive: true })
await build({
  entryPoints: {
    index: `${root}/bench/index.ts`,
    'training.worker': `${root}/electron/workers/training.worker.ts`,
    'file.worker': `${root}/electron/workers/file.worker.ts`,
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
