/**
 * A Vite plugin for electron.vite.config.ts: bundles every worker_threads entry,
 * electron/workers/<name>.worker.ts, into one file with all it imports, out/main/<name>.worker.js,
 * where electron/services/comlink-worker.ts looks for it.
 *
 * worker_threads loads its entry from a real file, so electron-builder.yml unpacks the workers
 * next to app.asar, where the asar integrity fuse does not reach. Built with the main bundle, a
 * worker would share chunks with index.js, and unpacking those would take main-process code out
 * of the checked archive too; on its own, it shares nothing, and only the workers are unpacked.
 */
import { readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { build } from 'esbuild'
import type { Plugin } from 'vite'

const WORKER_SUFFIX = '.worker.ts'

/** `workersDir` is relative to `root`; each bundle goes to the build's output folder. */
export function standaloneWorkers(options: { root: string; workersDir: string }): Plugin {
  return {
    name: 'backprop:standalone-workers',
    apply: 'build',
    async buildStart() {
      const entries = readdirSync(resolve(options.root, options.workersDir)).filter((f) => f.endsWith(WORKER_SUFFIX))
      for (const entry of entries) {
        const result = await build({
          entryPoints: [join(options.workersDir, entry)],
          absWorkingDir: options.root,
          bundle: true,
          platform: 'node',
          format: 'esm',
          target: 'node22',
          // the ES module builds, as Vite resolves them for the main bundle
          mainFields: ['module', 'main'],
          write: false,
          metafile: true,
          logLevel: 'silent',
        })
        // electron-vite dev rebuilds when any of a worker's sources changes
        for (const input of Object.keys(result.metafile.inputs)) this.addWatchFile(resolve(options.root, input))
        const [output] = result.outputFiles
        if (!output) throw new Error(`${entry}: esbuild produced no output`)
        this.emitFile({ type: 'asset', fileName: `${entry.slice(0, -'.ts'.length)}.js`, source: output.text })
      }
    },
  }
}
