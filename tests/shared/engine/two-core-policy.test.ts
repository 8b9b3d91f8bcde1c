import { describe, expect, it } from 'vitest'
import type { KernelHelper } from '../../../shared/engine/kernel-helper'
import { TwoCorePolicy } from '../../../shared/engine/two-core-policy'

/** A helper that only records whether it was told to rest. */
function fakeHelper(ready = true): KernelHelper & { restMs: number } {
  return {
    restMs: -1,
    ready,
    warm: false,
    get resting() { return this.restMs > 0 },
    rest(ms: number) { this.restMs = ms },
    start() {},
    finish: () => Number.NaN,
    wake() {},
  }
}

/** Steps of `ms` each on a fake clock, until `until` says stop (at most 10,000). */
function stepWhile(policy: TwoCorePolicy, clock: { t: number }, ms: (alone: boolean) => number, until: () => boolean): number {
  let steps = 0
  while (!until() && steps < 10_000) {
    const d = ms(policy.runsAlone)
    clock.t += d
    policy.afterStep(d)
    steps++
  }
  return steps
}

describe('TwoCorePolicy', () => {
  it('keeps the helper while steps with it are faster, trying one core once a second', () => {
    const clock = { t: 0 }, helper = fakeHelper()
    const policy = new TwoCorePolicy(helper, () => clock.t)
    expect(helper.resting).toBe(false)
    let aloneSteps = 0
    stepWhile(policy, clock, (alone) => { if (alone) aloneSteps++; return alone ? 0.8 : 0.6 }, () => clock.t > 5000)
    expect(policy.runsAlone).toBe(false)
    // one trial of 9 steps per second, no more
    expect(aloneSteps).toBeGreaterThanOrEqual(4 * 9)
    expect(aloneSteps).toBeLessThanOrEqual(5 * 9)
  })

  it('moves to one core when the helper makes steps slower (the other core is busy), and back when it is free', () => {
    const clock = { t: 0 }, helper = fakeHelper()
    const policy = new TwoCorePolicy(helper, () => clock.t)
    let busy = true
    const ms = (alone: boolean) => (alone ? 0.8 : busy ? 3 : 0.6)
    // the first trial, after a second, finds one core faster and keeps it
    stepWhile(policy, clock, ms, () => clock.t > 1100)
    expect(policy.runsAlone).toBe(true)
    expect(helper.resting).toBe(true)
    // a second later the helper is tried again, and is fast once more
    busy = false
    stepWhile(policy, clock, ms, () => clock.t > 2200)
    expect(policy.runsAlone).toBe(false)
    expect(helper.resting).toBe(false)
  })

  it('tries one core at once when steps with the helper turn much slower, not a second later', () => {
    const clock = { t: 0 }, helper = fakeHelper()
    const policy = new TwoCorePolicy(helper, () => clock.t)
    let busy = false
    const ms = (alone: boolean) => (alone ? 0.8 : busy ? 3 : 0.6)
    stepWhile(policy, clock, ms, () => clock.t > 100)
    expect(policy.runsAlone).toBe(false)
    busy = true
    const t0 = clock.t
    stepWhile(policy, clock, ms, () => policy.runsAlone && clock.t - t0 > 60)
    expect(clock.t - t0).toBeLessThan(80)
    expect(helper.resting).toBe(true)
  })

  it('leaves a helper that is not running alone: no trials, no rests', () => {
    const clock = { t: 0 }, helper = fakeHelper(false)
    const policy = new TwoCorePolicy(helper, () => clock.t)
    stepWhile(policy, clock, () => 0.5, () => clock.t > 3000)
    expect(policy.runsAlone).toBe(false)
    expect(helper.restMs).toBe(0)
  })
})
