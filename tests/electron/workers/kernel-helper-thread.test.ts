import { beforeAll, describe, expect, it } from 'vitest'
import { loadDefaultDataset } from '../../../electron/services/dataset-loader'
import { startKernelHelper } from '../../../electron/workers/kernel-helper-thread'
import type { Dataset } from '../../../shared/data/dataset'
import { KernelHelperClient, newKernelHelperChannel } from '../../../shared/engine/kernel-helper'
import type { KernelHelper } from '../../../shared/engine/kernel-helper'
import { BOOK_NETWORK } from '../../../shared/engine/network-config'
import { BOOK_TRAINING, type TrainConfig } from '../../../shared/engine/train-config'
import { Trainer } from '../../../shared/engine/trainer'

let mnist: Dataset
beforeAll(async () => { mnist = await loadDefaultDataset() })

/** Trains `steps` steps of each net with and without the helper; every parameter must be the same bits. */
function expectSameRuns(helper: KernelHelper, hidden: number[], steps: number): void {
  const config: TrainConfig = { ...BOOK_TRAINING, network: { ...BOOK_NETWORK, hiddenSizes: hidden } }
  const shared = new Trainer(config, mnist, undefined, { helper })
  const alone = new Trainer(config, mnist)
  for (let i = 0; i < steps; i++) expect(shared.step()).toBe(alone.step())
  for (const key of Object.keys(alone.net.params)) {
    const a = shared.net.params[key].data, b = alone.net.params[key].data
    expect(a.every((v, i) => Object.is(v, b[i])), key).toBe(true)
  }
}

describe('the kernel helper thread', () => {
  it('takes shares of the large products on a second thread, and training gives the same bits as on one', async () => {
    const helper = startKernelHelper()
    try {
      // the thread starts at the first share asked for: a run of small products never starts it
      expectSameRuns(helper, [20], 3)
      expect(helper.used).toBe(false)
      expect(helper.starting).toBe(false)
      expectSameRuns(helper, [200], 3)
      expect(helper.used).toBe(true)
      // a run waits for the thread its first step started
      expect(helper.starting || helper.active).toBe(true)
      expect(await helper.whenUp(30_000)).toBe(true)
      expect(helper.starting).toBe(false)
      expect(helper.active).toBe(true)
      expectSameRuns(helper, [50], 30)
      // a new run lets go of the last run's memories and attaches its own
      helper.detachAll()
      expectSameRuns(helper, [200, 50], 10)
      expect(helper.active).toBe(true)
      // turned off (an evaluation wants the core): the shares run here
      helper.enabled = false
      expect(helper.active).toBe(false)
      expectSameRuns(helper, [100], 5)
      helper.enabled = true
    } finally {
      helper.close()
    }
    // once closed, the shares run here: still the same numbers
    expect(helper.active).toBe(false)
    expectSameRuns(helper, [50], 5)
  })

  it('runs every share here while the helper is not up, and gives up on one that stalls', async () => {
    // a channel nobody serves: the client never sees the helper ready
    const idle = new KernelHelperClient(newKernelHelperChannel(), () => {})
    expect(idle.active).toBe(false)
    expectSameRuns(idle, [100], 5)
    // waiting for it ends when the time does
    expect(idle.starting).toBe(true)
    expect(await idle.whenUp(20)).toBe(false)
    expect(idle.warm).toBe(false)
    idle.close()
    expect(idle.starting).toBe(false)

    // a helper that says it is ready and then never answers
    const channel = newKernelHelperChannel()
    new Int32Array(channel.control)[4] = 1 // the READY word
    let gone = 0
    const stalled = new KernelHelperClient(channel, () => {}, { onGone: () => gone++, stallMs: 20 })
    expect(stalled.active).toBe(true)
    expectSameRuns(stalled, [100], 3)
    expect(gone).toBe(1)
    expect(stalled.active).toBe(false)
  })
})
