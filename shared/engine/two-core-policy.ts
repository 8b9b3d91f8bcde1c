import type { KernelHelper } from './kernel-helper'

/** How long each choice is kept before the other is tried again. */
const PERIOD_MS = 1000
/** Steps a trial of the other choice lasts; its first is a transition and is not counted. */
const TRIAL_STEPS = 9
/** Steps this much slower (median) than the best seen since the choice was made start a trial at once. */
const SLOWER = 1.5

/**
 * Whether training steps use the kernel helper thread: they do while that makes them faster.
 * A helper is worth a second core only while it has one: when something else runs there (another
 * program, a browser drawing charts), every share waits for a thread the machine has descheduled,
 * and two threads take several times as long per step as one. So every PERIOD_MS, or as soon as
 * steps turn SLOWER times slower, the other choice is tried for a few steps, and the faster of the
 * two, by median step time, is kept until the next trial. The numbers are the same bits either
 * way; only the time changes.
 */
export class TwoCorePolicy {
  private alone = false
  private trialLeft = 0
  private periodStart: number
  /** Step times of the current choice, newest last (at most TRIAL_STEPS). */
  private recent: number[] = []
  private trial: number[] = []
  /** The lowest median of TRIAL_STEPS steps since the current choice was made. */
  private best = Number.POSITIVE_INFINITY
  /** What the helper was last told: to rest (true) or not. */
  private resting = false

  constructor(private readonly helper: KernelHelper, private readonly now: () => number = () => performance.now()) {
    this.periodStart = now()
    helper.rest(0)
  }

  /** Whether the steps now run on this thread alone. */
  get runsAlone(): boolean {
    return this.alone !== this.trialLeft > 0
  }

  /** Call after each step with its duration (ms). */
  afterStep(ms: number): void {
    if (this.trialLeft > 0) {
      if (this.trialLeft < TRIAL_STEPS) this.trial.push(ms)
      if (--this.trialLeft === 0) this.decide()
    } else {
      // only a running helper is worth timing (a run of small products never starts it)
      if (!this.helper.ready) return
      this.recent.push(ms)
      if (this.recent.length > TRIAL_STEPS) this.recent.shift()
      let slower = false
      if (this.recent.length === TRIAL_STEPS) {
        const m = median(this.recent)
        this.best = Math.min(this.best, m)
        slower = m > SLOWER * this.best
      }
      if (slower || this.now() - this.periodStart >= PERIOD_MS) this.trialLeft = TRIAL_STEPS
    }
    this.apply()
  }

  private decide(): void {
    if (median(this.trial) < median(this.recent)) {
      this.alone = !this.alone
      this.recent = this.trial
    }
    this.trial = []
    this.best = Number.POSITIVE_INFINITY
    this.periodStart = this.now()
  }

  private apply(): void {
    if (this.runsAlone === this.resting) return
    this.resting = this.runsAlone
    // resting: calls run here; a rest of 0 ends one
    this.helper.rest(this.resting ? Number.POSITIVE_INFINITY : 0)
  }
}

function median(v: number[]): number {
  if (v.length === 0) return Number.POSITIVE_INFINITY
  const s = [...v].sort((a, b) => a - b)
  return s[s.length >> 1]
}
