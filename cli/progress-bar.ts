import type { TrainProgress } from '../shared/training-events'

/** `[██████····] 4200/10000  epoch 7.00  1234 it/s  ETA 0:05`, redrawn in place on a terminal. */
export function progressLine(p: TrainProgress, width = 24): string {
  const frac = p.totalIters > 0 ? p.iter / p.totalIters : 0
  const filled = Math.round(frac * width)
  const bar = '█'.repeat(filled) + '·'.repeat(width - filled)
  const rate = p.itersPerSecond > 0 ? `${Math.round(p.itersPerSecond)} it/s` : '… it/s'
  const state = p.state === 'running' ? '' : `  (${p.state})`
  return `[${bar}] ${p.iter}/${p.totalIters}  epoch ${p.epoch.toFixed(2)}  ${rate}  ETA ${formatDuration(p.etaMs)}${state}`
}

function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '–'
  const s = Math.round(ms / 1000)
  const m = Math.floor(s / 60)
  return `${m}:${String(s % 60).padStart(2, '0')}`
}
