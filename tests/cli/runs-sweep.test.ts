import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RunStore } from '../../electron/services/run-store'
import { BOOK_TRAINING } from '../../shared/engine/train-config'
import { jsonLines, runCli } from './run-cli'

let root: string
let runId: string

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cli-runs-'))
  const store = new RunStore(join(root, 'runs'))
  const rec = await store.begin({ config: BOOK_TRAINING, startIter: 0, dataset: { name: 'MNIST', fingerprint: 'f00d' }, name: 'first' })
  rec.progress({
    iter: 3, totalIters: 10, epoch: 0, elapsedMs: 5, etaMs: 1, itersPerSecond: 1, lossStart: 0, state: 'running',
    losses: Float64Array.from([2.5, 2.25, 2]), evals: [{ iter: 0, epoch: 0, loss: 2.5, trainAcc: 0.125, testAcc: 0.25 }],
  })
  await rec.idle()
  runId = rec.id
  // a second folder that is damaged: listed apart, never hiding the good one
  await mkdir(join(root, 'runs', '20000101-000000-000000'))
  await writeFile(join(root, 'runs', '20000101-000000-000000', 'run.json'), 'not json')
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('cli runs', () => {
  it('lists runs as JSON lines, damaged folders apart', async () => {
    const r = await runCli(['runs', 'list', '--runs', join(root, 'runs'), '--json'])
    expect(r.code).toBe(0)
    const lines = jsonLines(r.stdout)
    expect(lines).toEqual([
      expect.objectContaining({ event: 'run', id: runId, name: 'first', status: 'interrupted', optimizer: 'sgd', lr: 0.1, batchSize: 100, network: '784-50-10', iterations: 3, loss: 2.5, testAcc: 0.25 }),
      { event: 'damaged', id: '20000101-000000-000000', problem: 'run 20000101-000000-000000: run.json is not valid JSON' },
    ])
  })

  it('shows one run and exports its history as CSV', async () => {
    const show = await runCli(['runs', 'show', runId, '--runs', join(root, 'runs')])
    expect(show.code).toBe(0)
    expect(show.stdout).toContain(`first (${runId}), interrupted`)
    const file = join(root, 'h.csv')
    const exp = await runCli(['runs', 'export', runId, '--csv', file, '--runs', join(root, 'runs')])
    expect(exp.code).toBe(0)
    expect(await readFile(file, 'utf8')).toBe('iteration,loss,train_acc,test_acc\n1,2.5,0.125,0.25\n2,2.25,,\n3,2,,\n')
  })

  it('refuses bad input with one line', async () => {
    const cases: [string[], string][] = [
      [['runs'], 'backprop-studio: runs: expected list, show ID or export ID --csv FILE, got nothing\n'],
      [['runs', 'show', '--runs', root], 'backprop-studio: runs show: expected a run id (see runs list)\n'],
      [['runs', 'show', 'nope', '--runs', join(root, 'runs')], 'backprop-studio: no run "nope": a run id looks like 20240131-142501-3fa9c1\n'],
      [['runs', 'export', runId, '--runs', join(root, 'runs')], 'backprop-studio: runs export: --csv FILE is required\n'],
      [['runs', 'export', runId, '--csv', join(root, 'no/such/x.csv'), '--runs', join(root, 'runs')], `backprop-studio: --csv: cannot write ${join(root, 'no/such/x.csv')}: folder ${join(root, 'no/such')} does not exist\n`],
      [['sweep', '--lr', '0.1,abc'], 'backprop-studio: --lr: expected numbers separated by commas, got "0.1,abc"\n'],
      [['sweep', '--optimizer', 'sgd,foo'], 'backprop-studio: --optimizer: must be sgd, momentum, nesterov, adagrad, rmsprop, adam, got "foo"\n'],
      [['sweep', '--dropout', '1'], 'backprop-studio: --dropout: must be a number ≥ 0 and < 1, got 1\n'],
      [['sweep', '--mode', 'random', '--lr', '0.1,1'], 'backprop-studio: --trials: required with --mode random\n'],
      [['sweep', '--lr', '0.1,1', '--optimizer', 'sgd,adam', '--trials', '3'], 'backprop-studio: --trials: the grid has 4 combinations, more than the 3 trials; raise trials to 4, shorten the lists, or search at random\n'],
    ]
    for (const [args, stderr] of cases) {
      const r = await runCli(args)
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 1, stderr })
    }
  })
})

describe('cli sweep', () => {
  it('prints one trial line per finished trial, then the ranking', async () => {
    const r = await runCli(['sweep', '--lr', '0.01,0.5', '--optimizer', 'sgd,adam', '--iters', '100', '--hidden', '16', '--eval-samples', '300', '--json'])
    expect(r.code).toBe(0)
    const lines = jsonLines(r.stdout)
    expect(lines.map((l) => l.event)).toEqual(['trial', 'trial', 'trial', 'trial', 'ranking'])
    const trials = lines.slice(0, 4)
    expect(trials.map((t) => t.index).sort()).toEqual([0, 1, 2, 3])
    expect(new Set(trials.map((t) => `${t.lr} ${t.optimizer}`))).toEqual(new Set(['0.01 sgd', '0.01 adam', '0.5 sgd', '0.5 adam']))
    expect(trials.every((t) => t.state === 'finished' && t.iterations === 100 && (t.hiddenSizes as number[])[0] === 16)).toBe(true)
    const ranking = lines[4].trials as { rank: number; index: number; testAcc: number }[]
    expect(ranking.map((t) => t.rank)).toEqual([1, 2, 3, 4])
    const accs = ranking.map((t) => t.testAcc)
    expect(accs).toEqual([...accs].sort((a, b) => b - a))
    expect(new Set(ranking.map((t) => t.index))).toEqual(new Set([0, 1, 2, 3]))
  })
})
