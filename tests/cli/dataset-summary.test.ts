import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { datasetSummary } from '../../cli/dataset-summary'
import type { Dataset } from '../../shared/data/dataset'
import { jsonLines, runCli } from './run-cli'

/** A dataset of `train`/`test` labels; the pixels are irrelevant to the summary. */
function labelled(train: number[], test: number[]): Dataset {
  const split = (labels: number[]) => ({ labels: Uint8Array.from(labels), count: labels.length })
  return { name: 'gappy', fingerprint: 'f', rows: 2, cols: 2, classes: Math.max(...train) + 1, train: split(train), test: split(test) }
}

/** An unsigned-byte IDX file: magic 00 00 08 ndim, big-endian u32 dims, then `data`. */
function idx(dims: number[], data: ArrayLike<number>): Buffer {
  const out = Buffer.alloc(4 + 4 * dims.length + data.length)
  out[2] = 0x08
  out[3] = dims.length
  dims.forEach((d, i) => out.writeUInt32BE(d, 4 + 4 * i))
  out.set(data, 4 + 4 * dims.length)
  return out
}

describe('datasetSummary', () => {
  it('gives the shape and the images per class of each split', () => {
    const s = datasetSummary(labelled([0, 1, 1, 2, 2, 2], [2, 0]))
    expect(s.lines).toEqual([
      'Dataset gappy: 6 training and 2 test images of 2×2, 3 classes',
      '  class  0  1  2',
      '  train  1  2  3',
      '  test   1  0  1',
    ])
    expect(s.warnings).toEqual([])
  })

  it('wraps more than 10 classes into blocks and warns, naming the empty classes', () => {
    const train = [...Array.from({ length: 30 }, (_, i) => i % 10), 12]
    const s = datasetSummary(labelled(train, [0, 12]))
    expect(s.lines).toHaveLength(1 + 2 * 3)
    expect(s.lines[4]).toBe('  class  10  11  12')
    expect(s.lines[5]).toBe('  train   0   0   1')
    expect(s.warnings).toEqual([expect.stringMatching(/^2 classes have no training images \(10, 11\): there are 13 classes because the largest training label is 12/)])
  })
})

describe('cli on a dataset whose labels leave gaps', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bps-cli-gaps-'))
    const pixels = (n: number) => Array.from({ length: n * 16 }, (_, k) => (k * 37) % 256)
    const trainLabels = [0, 1, 5, 0, 1, 5]
    await writeFile(join(dir, 'train-images-idx3-ubyte'), idx([6, 4, 4], pixels(6)))
    await writeFile(join(dir, 'train-labels-idx1-ubyte'), idx([6], trainLabels))
    await writeFile(join(dir, 't10k-images-idx3-ubyte'), idx([2, 4, 4], pixels(2)))
    await writeFile(join(dir, 't10k-labels-idx1-ubyte'), idx([2], [0, 5]))
  })
  afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

  it('prints the class counts and one warning line on stderr naming the empty classes', async () => {
    const run = await runCli(['gradcheck', '--data', dir, '--samples', '1', '--hidden', '3'])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/^  train\s+2\s+2\s+0\s+0\s+0\s+2$/m)
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^warning: 3 classes have no training images \(2–4\): there are 6 classes/),
    ])
  })

  it('keeps stdout to JSON lines with --json, still warning on stderr', async () => {
    const run = await runCli(['gradcheck', '--data', dir, '--samples', '1', '--hidden', '3', '--json'])
    expect(run.code, run.stderr).toBe(0)
    expect(jsonLines(run.stdout).map((e) => e.event)).toEqual(['gradcheck'])
    expect(run.stderr).toMatch(/^warning: 3 classes have no training images \(2–4\)/)
  })
})
