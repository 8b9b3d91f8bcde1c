import { describe, expect, it } from 'vitest'
import type { BackendEvent, TrainProgress } from '../../../shared/ipc'
import { progressBarFor } from '../../../electron/main/taskbar-progress'

function progress(iter: number, totalIters: number, state: TrainProgress['state'] = 'running'): BackendEvent {
  return {
    type: 'train-progress', jobId: 'j',
    progress: { iter, totalIters, epoch: 0, elapsedMs: 0, etaMs: NaN, itersPerSecond: 0, lossStart: 0, losses: new Float64Array(0), evals: [], state },
  }
}

describe('progressBarFor', () => {
  it('shows the fraction of iterations done, paused while paused', () => {
    expect(progressBarFor(progress(250, 1000))).toEqual({ progress: 0.25, mode: 'normal' })
    expect(progressBarFor(progress(500, 1000, 'paused'))).toEqual({ progress: 0.5, mode: 'paused' })
    expect(progressBarFor(progress(5, 0))).toEqual({ progress: 0, mode: 'normal' })
  })

  it('clears the bar when a job finishes or fails, and ignores other events', () => {
    expect(progressBarFor({ type: 'train-failed', jobId: 'j', error: { name: 'E', message: 'm' } })).toEqual({ progress: -1, mode: 'none' })
    expect(progressBarFor({ type: 'menu', action: 'open-model' })).toBeNull()
    expect(progressBarFor({ type: 'gradcheck-progress', jobId: 'g', done: 1, total: 2 })).toBeNull()
  })
})
