import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { defaultDatasetDir } from '../../electron/services/dataset-loader'
import { startNumpyLeanCells } from '../../bench/numpy-lean-cells'

const haveNumpy = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0

describe.runIf(haveNumpy)('startNumpyLeanCells', () => {
  it('times the cells it is sent, one at a time, and ends when closed', async () => {
    const cells = await startNumpyLeanCells(defaultDatasetDir(), 5)
    expect(cells).not.toBeNull()
    const small = await cells!.run([50], 32)
    const large = await cells!.run([1000], 100)
    expect(small).toBeGreaterThan(0)
    // the same process times each cell it is sent: the larger network takes longer
    expect(large).toBeGreaterThan(small)
    cells!.close()
    await expect(cells!.run([50], 32)).rejects.toThrow(/ended before timing 50 at batch 32/)
  }, 60_000)

  it('is null when the data cannot be read', async () => {
    expect(await startNumpyLeanCells('/nonexistent', 5)).toBeNull()
  })
})
