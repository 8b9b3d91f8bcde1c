/** The taskbar / dock progress bar during training, derived from back-end events. */
import type { BackendEvent } from '../../shared/ipc'

export interface ProgressBarUpdate {
  /** 0…1 while running; -1 removes the bar (Electron's convention). */
  progress: number
  mode: 'normal' | 'paused' | 'none'
}

/** What win.setProgressBar should show after this event, or null when it does not change. */
export function progressBarFor(event: BackendEvent): ProgressBarUpdate | null {
  switch (event.type) {
    case 'train-progress': {
      const { iter, totalIters, state } = event.progress
      const progress = totalIters > 0 ? Math.min(1, Math.max(0, iter / totalIters)) : 0
      return { progress, mode: state === 'paused' ? 'paused' : 'normal' }
    }
    case 'train-finished':
    case 'train-failed':
      return { progress: -1, mode: 'none' }
    default:
      return null
  }
}
