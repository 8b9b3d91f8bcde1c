import { afterEach, describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'
import { useTraining } from '../../../renderer/src/composables/use-training'
import { useNotifier } from '../../../renderer/src/composables/use-notifier'
import { BOOK_TRAINING } from '../../../shared/engine/train-config'
import type { TrainProgress } from '../../../shared/training-events'
import { createFakeApi, settle, tinyModel } from '../fake-api'

const progress = (lossStart: number, losses: number[], extra: Partial<TrainProgress> = {}): TrainProgress => ({
  iter: lossStart + losses.length, totalIters: 1000, epoch: 0, elapsedMs: 10, etaMs: 100, itersPerSecond: 50,
  lossStart, losses: Float64Array.from(losses), evals: [], state: 'running', ...extra,
})

function setup(fake = createFakeApi()) {
  const scope = effectScope()
  const { training, notifier } = scope.run(() => {
    const notifier = useNotifier()
    return { notifier, training: useTraining(fake.api, notifier) }
  })!
  return { fake, training, notifier, scope }
}

afterEach(() => { vi.useRealTimers() })

/** Progress reaches the page at most every 100 ms (PUBLISH_EVERY_MS). */
const fakeClock = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })

describe('useTraining', () => {
  it('accumulates the losses of every progress event without dropping any', async () => {
    fakeClock()
    const { fake, training } = setup()
    await training.start(BOOK_TRAINING, false)
    const expected: number[] = []
    let seed = 7
    for (let e = 0; e < 200; e++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      const n = seed % 97
      const batch = Array.from({ length: n }, (_, k) => Math.sin(expected.length + k))
      fake.emit({ type: 'train-progress', jobId: 'job-1', progress: progress(expected.length, batch) })
      expected.push(...batch)
    }
    vi.advanceTimersByTime(100)
    expect(training.losses.value.length).toBe(expected.length)
    expect(Array.from(training.losses.value)).toEqual(expected)
  })

  it('replaces the losses array instead of mutating the one a chart holds', async () => {
    fakeClock()
    const { fake, training } = setup()
    await training.start(BOOK_TRAINING, false)
    fake.emit({ type: 'train-progress', jobId: 'job-1', progress: progress(0, [1, 2]) })
    const first = training.losses.value
    fake.emit({ type: 'train-progress', jobId: 'job-1', progress: progress(2, [3]) })
    vi.advanceTimersByTime(100)
    expect(training.losses.value).not.toBe(first)
    expect(Array.from(first)).toEqual([1, 2])
  })

  it('publishes progress at most every 100 ms, a change of state at once, and all of it before the end', async () => {
    fakeClock()
    const { fake, training } = setup()
    await training.start(BOOK_TRAINING, false)
    const evalAt = (iter: number) => ({ iter, epoch: iter / 600, loss: 1, trainAcc: 0.5, testAcc: 0.5 })
    fake.emit({ type: 'train-progress', jobId: 'job-1', progress: progress(0, [1]) })
    expect(training.progress.value?.iter).toBe(1)
    vi.advanceTimersByTime(40)
    fake.emit({ type: 'train-progress', jobId: 'job-1', progress: progress(1, [2], { evals: [evalAt(1)] }) })
    vi.advanceTimersByTime(40)
    fake.emit({ type: 'train-progress', jobId: 'job-1', progress: progress(2, [3]) })
    // 80 ms after the first: nothing new shows yet, and nothing is lost
    expect(training.progress.value?.iter).toBe(1)
    expect(Array.from(training.losses.value)).toEqual([1])
    vi.advanceTimersByTime(20)
    expect(training.progress.value?.iter).toBe(3)
    expect(Array.from(training.losses.value)).toEqual([1, 2, 3])
    expect(training.evals.value.map((e) => e.iter)).toEqual([1])
    // a pause shows at once, with what came before it
    vi.advanceTimersByTime(10)
    fake.emit({ type: 'train-progress', jobId: 'job-1', progress: progress(3, [4], { state: 'paused' }) })
    expect(training.state.value).toBe('paused')
    expect(training.progress.value?.iter).toBe(4)
    // a pause the control's answer showed first: the job's own message still shows at once
    vi.advanceTimersByTime(100)
    fake.emit({ type: 'train-progress', jobId: 'job-1', progress: progress(4, [], { state: 'running' }) })
    await training.control('pause')
    expect(training.state.value).toBe('paused')
    fake.emit({ type: 'train-progress', jobId: 'job-1', progress: progress(4, [], { state: 'paused', iter: 7 }) })
    expect(training.progress.value?.iter).toBe(7)
    // the end publishes what waits before it goes idle
    fake.emit({ type: 'train-progress', jobId: 'job-1', progress: progress(4, [5], { state: 'paused' }) })
    expect(training.losses.value.length).toBe(4)
    fake.emit({ type: 'train-finished', jobId: 'job-1', stopped: true, summary: tinyModel().summary, evals: [evalAt(1)], seconds: 1, model: tinyModel() })
    expect(Array.from(training.losses.value)).toEqual([1, 2, 3, 4, 5])
    expect(training.state.value).toBe('idle')
  })

  it('keeps events that arrive before startTraining answers', async () => {
    let release: () => void = () => undefined
    const fake = createFakeApi({
      startTraining: () => new Promise((resolve) => { release = () => resolve({ jobId: 'early' }) }),
    })
    const { training } = setup(fake)
    const started = training.start(BOOK_TRAINING, false)
    await settle()
    fake.emit({ type: 'train-progress', jobId: 'early', progress: progress(0, [2.3, 2.2], { evals: [{ iter: 0, epoch: 0, loss: 2.3, trainAcc: 0.1, testAcc: 0.11 }] }) })
    release()
    await started
    expect(Array.from(training.losses.value)).toEqual([2.3, 2.2])
    expect(training.evals.value).toHaveLength(1)
    expect(training.jobId.value).toBe('early')
  })

  it('ignores events of another job', async () => {
    const { fake, training } = setup()
    await training.start(BOOK_TRAINING, false)
    fake.emit({ type: 'train-progress', jobId: 'someone-else', progress: progress(0, [9]) })
    expect(training.losses.value.length).toBe(0)
  })

  it('goes idle and reports the summary when the job finishes', async () => {
    const { fake, training, notifier } = setup()
    await training.start(BOOK_TRAINING, false)
    expect(training.state.value).toBe('running')
    const evals = [{ iter: 0, epoch: 0, loss: 2.3, trainAcc: 0.1, testAcc: 0.1 }, { iter: 599, epoch: 1, loss: 0.3, trainAcc: 0.9, testAcc: 0.91 }]
    fake.emit({ type: 'train-finished', jobId: 'job-1', stopped: false, summary: tinyModel().summary, evals, seconds: 3, model: tinyModel() })
    expect(training.state.value).toBe('idle')
    expect(training.evals.value).toEqual(evals)
    expect(notifier.toasts.value[0]).toMatchObject({ kind: 'info', title: 'Training finished' })
  })

  it('shows a failed job as an error toast with the error name', async () => {
    const { fake, training, notifier } = setup()
    await training.start(BOOK_TRAINING, false)
    fake.emit({ type: 'train-failed', jobId: 'job-1', error: { name: 'WorkerCrashError', message: 'the worker exited with code 1' } })
    expect(training.state.value).toBe('idle')
    expect(notifier.toasts.value[0]).toMatchObject({ kind: 'error', title: 'WorkerCrashError', message: 'Training: the worker exited with code 1' })
  })

  it('reports a rejected start, e.g. a ConfigError from the back end', async () => {
    const fake = createFakeApi({ startTraining: async () => { const e = new Error('lr: must be a number > 0'); e.name = 'ConfigError'; throw e } })
    const { training, notifier } = setup(fake)
    await training.start(BOOK_TRAINING, false)
    expect(training.state.value).toBe('idle')
    expect(notifier.toasts.value[0]).toMatchObject({ title: 'ConfigError', message: 'Starting training: lr: must be a number > 0' })
  })

  it('sends pause, resume and stop for its job and follows the state', async () => {
    const { fake, training } = setup()
    await training.start(BOOK_TRAINING, false)
    await training.control('pause')
    expect(training.state.value).toBe('paused')
    await training.control('resume')
    expect(training.state.value).toBe('running')
    await training.control('stop')
    expect(training.state.value).toBe('stopping')
    expect(fake.calls.filter((c) => c.method === 'controlTraining').map((c) => c.req)).toEqual([
      { jobId: 'job-1', action: 'pause' }, { jobId: 'job-1', action: 'resume' }, { jobId: 'job-1', action: 'stop' },
    ])
  })

  it('unsubscribes when its scope ends', () => {
    const { fake, scope } = setup()
    expect(fake.listenerCount()).toBe(1)
    scope.stop()
    expect(fake.listenerCount()).toBe(0)
  })
})
