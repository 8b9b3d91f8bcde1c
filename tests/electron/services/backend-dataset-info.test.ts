import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Backend } from '../../../electron/services/backend'
import { loadDefaultDataset } from '../../../electron/services/dataset-loader'
import { classCounts } from '../../../shared/data/class-counts'

let root: string
let backend: Backend

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'backend-dataset-info-'))
  backend = await Backend.create({ userDataDir: join(root, 'user'), poolSize: 1 })
})

afterAll(async () => {
  await backend.dispose()
  await rm(root, { recursive: true, force: true })
})

/** An MNIST-format folder of 2×2 images with the given labels. */
async function writeDataset(dir: string, train: number[], test: number[]): Promise<void> {
  await mkdir(dir)
  const u32 = (...xs: number[]) => { const b = Buffer.alloc(xs.length * 4); xs.forEach((x, i) => b.writeUInt32BE(x, i * 4)); return b }
  for (const [prefix, labels] of [['train', train], ['t10k', test]] as const) {
    const pixels = Buffer.from(Array.from({ length: labels.length * 4 }, (_, i) => (i * 53) % 256))
    await writeFile(join(dir, `${prefix}-images-idx3-ubyte`), Buffer.concat([u32(0x803, labels.length, 2, 2), pixels]))
    await writeFile(join(dir, `${prefix}-labels-idx1-ubyte`), Buffer.concat([u32(0x801, labels.length), Buffer.from(labels)]))
  }
}

describe('Backend dataset info', () => {
  it('gives MNIST’s images per class in each split, and no empty class', async () => {
    const info = await backend.getDataset({})
    const mnist = await loadDefaultDataset()
    expect(info.trainClassCounts).toEqual(classCounts(mnist.train.labels, 10))
    expect(info.testClassCounts).toEqual(classCounts(mnist.test.labels, 10))
    expect(info.trainClassCounts.reduce((a, b) => a + b)).toBe(60_000)
    expect(info.testClassCounts[0]).toBe(980)
    expect(info.emptyClasses).toEqual([])
  })

  it('keeps class = label for a label set with gaps, and lists the empty classes', async () => {
    const dir = join(root, 'gappy')
    await writeDataset(dir, [0, 1, 0, 1, 6], [6, 0])
    const info = await backend.openDataset({ path: dir })
    expect(info).toMatchObject({ classes: 7, trainClassCounts: [2, 2, 0, 0, 0, 0, 1], testClassCounts: [1, 0, 0, 0, 0, 0, 1], emptyClasses: [2, 3, 4, 5] })
  })
})
