import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export interface NumpyResult {
  seconds: number
  trainSeconds: number
  evalSeconds: number
  trainAcc: number
  testAcc: number
  peakRssMB: number
  numpy: string
}

/**
 * Runs bench/numpy_book.py (the memo's workload in numpy) if python3 with numpy is here; null otherwise.
 * OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE, set by some hosts, slow a current numpy: dropped for it alone.
 */
export function runNumpyReference(dataDir: string, iters: number): Promise<NumpyResult | null> {
  const script = fileURLToPath(new URL('./numpy_book.py', import.meta.url))
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env }
    delete env.OPENBLAS_CORETYPE
    delete env.OPENBLAS_L2_SIZE
    const child = spawn('python3', [script, dataDir, String(iters)], { stdio: ['ignore', 'pipe', 'pipe'], env })
    let out = ''
    child.stdout.on('data', (d: Buffer) => { out += d })
    child.on('error', () => resolve(null))
    child.on('close', (code) => {
      if (code !== 0) return resolve(null)
      try { resolve(JSON.parse(out) as NumpyResult) } catch { resolve(null) }
    })
  })
}
