/** Calls `call` every `everyMs` while running and records how long each answer took. */
export function probeLatency(call: () => Promise<unknown>, everyMs = 20): () => number[] {
  const samples: number[] = []
  let running = true
  const loop = async () => {
    while (running) {
      const t0 = performance.now()
      await call()
      samples.push(performance.now() - t0)
      await new Promise((r) => setTimeout(r, everyMs))
    }
  }
  const done = loop()
  return () => {
    running = false
    void done
    return samples
  }
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}
