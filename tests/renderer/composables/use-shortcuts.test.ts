// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'
import { createStudio } from '../../../renderer/src/composables/use-studio'
import { isTypingTarget, matchShortcut, useShortcuts } from '../../../renderer/src/composables/use-shortcuts'
import { ANNOUNCE_EVERY_MS, useLiveStatus } from '../../../renderer/src/composables/use-live-status'
import type { TrainProgress } from '../../../shared/training-events'
import { createFakeApi, settle } from '../fake-api'

const key = (k: string, extra: Partial<KeyboardEvent> = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...extra })

function progress(iter: number, state: TrainProgress['state'] = 'running'): TrainProgress {
  return { iter, totalIters: 1000, epoch: iter / 600, elapsedMs: iter, etaMs: 1000 - iter, itersPerSecond: 100, lossStart: iter - 1, losses: new Float64Array([2.5]), evals: [], state } as TrainProgress
}

describe('matchShortcut and isTypingTarget', () => {
  it('maps plain keys and Ctrl/Cmd combinations to their actions', () => {
    expect(matchShortcut(key('t'), false)?.action).toBe('train-toggle')
    expect(matchShortcut(key('T', { shiftKey: true }), false)).toBeNull()
    expect(matchShortcut(key('t', { ctrlKey: true }), false)).toBeNull()
    expect(matchShortcut(key('s', { ctrlKey: true }), false)?.action).toBe('save-model')
    expect(matchShortcut(key('s', { metaKey: true }), true)?.action).toBe('save-model')
    expect(matchShortcut(key('O', { ctrlKey: true, shiftKey: true }), false)?.action).toBe('open-dataset')
    expect(matchShortcut(key('?', { shiftKey: true }), false)?.action).toBe('shortcuts')
    expect(matchShortcut(key('g', { altKey: true }), false)).toBeNull()
  })

  it('treats text fields, selects and editable content as typing, buttons and checkboxes not', () => {
    const make = (html: string) => { document.body.innerHTML = html; return document.body.firstElementChild }
    expect(isTypingTarget(make('<input type="text">'))).toBe(true)
    expect(isTypingTarget(make('<input>'))).toBe(true)
    expect(isTypingTarget(make('<textarea></textarea>'))).toBe(true)
    expect(isTypingTarget(make('<select></select>'))).toBe(true)
    expect(isTypingTarget(make('<input type="checkbox">'))).toBe(false)
    expect(isTypingTarget(make('<button>x</button>'))).toBe(false)
    expect(isTypingTarget(document.body)).toBe(false)
  })
})

describe('useShortcuts', () => {
  afterEach(() => { document.body.innerHTML = '' })

  it('drives training from keys, and stays quiet while focus is in a field', async () => {
    const fake = createFakeApi()
    const start = vi.spyOn(fake.api, 'startTraining')
    const control = vi.spyOn(fake.api, 'controlTraining')
    const scope = effectScope()
    const studio = scope.run(() => createStudio(fake.api))!
    const shortcuts = scope.run(() => useShortcuts(studio))!
    await studio.init()
    await settle()
    const press = (k: string, target: EventTarget = document.body) => target.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }))

    document.body.innerHTML = '<input id="field" type="text">'
    press('t', document.getElementById('field')!)
    await settle()
    expect(start).not.toHaveBeenCalled()

    press('t')
    await settle()
    expect(start).toHaveBeenCalledTimes(1)
    fake.emit({ type: 'train-progress', jobId: 'job-1', progress: progress(10) })
    press('t')
    await settle()
    expect(control).toHaveBeenLastCalledWith(expect.objectContaining({ action: 'pause' }))
    fake.emit({ type: 'train-progress', jobId: 'job-1', progress: progress(11, 'paused') })
    press('n')
    await settle()
    expect(control).toHaveBeenLastCalledWith(expect.objectContaining({ action: 'step' }))
    press('x')
    await settle()
    expect(control).toHaveBeenLastCalledWith(expect.objectContaining({ action: 'stop' }))

    press('?')
    expect(shortcuts.helpOpen.value).toBe(true)
    // a menu command reaches the same actions
    fake.emit({ type: 'menu', action: 'shortcuts' })
    expect(shortcuts.helpOpen.value).toBe(false)
    scope.stop()
  })
})

describe('useLiveStatus', () => {
  afterEach(() => { vi.useRealTimers() })

  it('announces a state change at once and progress at most once per interval', async () => {
    vi.useFakeTimers()
    const fake = createFakeApi()
    const scope = effectScope()
    const studio = scope.run(() => createStudio(fake.api))!
    const live = scope.run(() => useLiveStatus(studio))!
    await studio.init()
    await studio.train(false)
    await vi.advanceTimersByTimeAsync(0)
    expect(live.message.value).toBe('Training')
    for (let i = 10; i < 40; i++) fake.emit({ type: 'train-progress', jobId: 'job-1', progress: progress(i) })
    await vi.advanceTimersByTimeAsync(ANNOUNCE_EVERY_MS / 2)
    expect(live.message.value).toBe('Training')
    await vi.advanceTimersByTimeAsync(ANNOUNCE_EVERY_MS / 2)
    expect(live.message.value).toBe('Training: iteration 39 of 1,000, loss 2.5')
    fake.emit({ type: 'train-progress', jobId: 'job-1', progress: progress(40, 'paused') })
    await vi.advanceTimersByTimeAsync(0)
    expect(live.message.value).toMatch(/^Paused: iteration 40/)
    scope.stop()
  })
})
