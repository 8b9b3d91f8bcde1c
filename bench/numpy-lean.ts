import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export interface NumpyLeanResult {
  seconds: number
  trainSeconds: number
  evalSeconds: number
  evaluations: number
  trainAcc: number
  testAcc: number
  evalImagesPerSecond: number
  peakRssMB: number
  numpy: string
}

/**
 * NumPy written well's environment: OpenBLAS gets both cores, and OPENBLAS_CORETYPE and
 * OPENBLAS_L2_SIZE are dropped for it alone: set by some hosts, they slow a current numpy.
 */
export function numpyLeanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '2' }
  delete env.OPENBLAS_CORETYPE
  delete env.OPENBLAS_L2_SIZE
  return env
}

/**
 * Runs bench/numpy_lean.py (NumPy written well: the same work as ours, as matmuls) on the book's
 * workload; null where python3 with numpy is missing. The grid's cells run in numpy-lean-cells.ts.
 */
export function runNumpyLean(dataDir: string, iters: number): Promise<NumpyLeanResult | null> {
  const script = fileURLToPath(new URL('./numpy_lean.py', import.meta.url))
  const env = numpyLeanEnv()
  const args = [script, dataDir, '--iters', String(iters)]
  return new Promise((resolve) => {
    const child = spawn('python3', args, { stdio: ['ignore', 'pipe', 'pipe'], env })
    let out = ''
    child.stdout.on('data', (d: Buffer) => { out += d })
    child.on('error', () => resolve(null))
    child.on('close', (code) => {
      if (code !== 0) return resolve(null)
      try { resolve(JSON.parse(out) as NumpyLeanResult) } catch { resolve(null) }
    })
  })
}
