import { setFlagsFromString } from 'node:v8'

/**
 * Relaxed SIMD (the fused kernels' FMA) shipped in V8 11.4; Node 20's V8 11.3 has it behind a
 * flag. Call before the kernels compile: they compile on first use, so at a worker's start.
 */
export function enableRelaxedSimd(): void {
  const [major, minor] = process.versions.v8.split('.').map(Number)
  if (major < 11 || (major === 11 && minor < 4)) setFlagsFromString('--experimental-wasm-relaxed-simd')
}
