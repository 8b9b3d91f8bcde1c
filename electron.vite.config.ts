import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import vue from '@vitejs/plugin-vue'
import { standaloneWorkers } from './scripts/standalone-worker'

export default defineConfig({
  main: {
    // each electron/workers/<name>.worker.ts is bundled on its own as <name>.worker.js, sharing no chunk with index.js
    plugins: [standaloneWorkers({ root: __dirname, workersDir: 'electron/workers' })],
    build: {
      rolldownOptions: {
        input: { index: resolve(__dirname, 'electron/main/index.ts') },
      },
    },
  },
  preload: {
    build: {
      rolldownOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [vue()],
    // vue-i18n's bundler build: composition API only; messages compile just in time without eval (CSP-safe)
    define: { __VUE_I18N_FULL_INSTALL__: true, __VUE_I18N_LEGACY_API__: false, __INTLIFY_PROD_DEVTOOLS__: false },
    build: {
      minify: true,
      // ECharts makes the one bundle ~750 KB; it loads from disk (or localhost), never over a network
      chunkSizeWarningLimit: 1024,
      rolldownOptions: {
        input: { index: resolve(__dirname, 'renderer/index.html') },
      },
    },
  },
})
