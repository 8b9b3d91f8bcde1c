import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MultiLayerNet } from '../../shared/engine/multi-layer-net'
import { BOOK_NETWORK } from '../../shared/engine/network-config'
import { Random } from '../../shared/engine/random'
import { BOOK_TRAINING } from '../../shared/engine/train-config'
import { serializeModel } from '../../shared/model/model-file'
import { modelFromRun } from '../../shared/model/model-from-run'
import { jsonLines, runCli } from './run-cli'

let dir: string
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'bps-cli-')) })
afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

/** Exit status 1, exactly one line on stderr that says `expected`, and no stack trace. */
function expectOneLineError(run: { code: number | null; stderr: string }, expected: RegExp) {
  expect(run.code).toBe(1)
  const lines = run.stderr.trimEnd().split('\n')
  expect(lines, run.stderr).toHaveLength(1)
  expect(lines[0]).toMatch(expected)
  expect(run.stderr).not.toMatch(/\n\s+at /)
}

describe('cli train, eval and gradcheck on MNIST', () => {
  it('trains with --json, saves the model, and eval reproduces the saved accuracies exactly', async () => {
    const model = join(dir, 'small.json')
    const train = await runCli(['train', '--iters', '250', '--eval-every', '100', '--eval-samples', '2000', '--seed', '4', '--save', model, '--json'])
    expect(train.code, train.stderr).toBe(0)
    const events = jsonLines(train.stdout)
    const epochs = events.filter((e) => e.event === 'epoch')
    // newer snapshots replace one still waiting for the evaluation worker, so middle points may be skipped
    const iters = epochs.map((e) => e.iter as number)
    expect(iters[0]).toBe(0)
    expect(iters.at(-1)).toBe(249)
    expect(iters.every((it, k) => [0, 100, 200, 249].includes(it) && (k === 0 || it > iters[k - 1]))).toBe(true)
    for (const e of epochs) expect(Object.keys(e).sort()).toEqual(['event', 'iter', 'loss', 'testAcc', 'trainAcc'])
    const done = events.at(-1)!
    expect(done.event).toBe('done')
    expect(done.iters).toBe(250)
    expect(done.testAcc).toBeGreaterThan(0.8)
    expect(done.seconds).toBeGreaterThan(0)

    const evaluated = await runCli(['eval', '--model', model, '--json'])
    expect(evaluated.code, evaluated.stderr).toBe(0)
    expect(jsonLines(evaluated.stdout)).toEqual([{ event: 'eval', trainAcc: done.trainAcc, testAcc: done.testAcc }])
  })

  it('prints the per-epoch table in the terminal', async () => {
    const run = await runCli(['train', '--iters', '120', '--eval-every', '60', '--eval-samples', '500'])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/iter\s+epoch\s+loss\s+train acc\s+test acc/)
    expect(run.stdout).toMatch(/^\s+60\s+0\.10\s+\d\.\d{4}\s+0\.\d{4}\s+0\.\d{4}$/m)
    expect(run.stdout).toMatch(/Done after 120 iterations/)
  })

  it('trains on the reference engine (the book\'s dense layers) to the fast engine\'s very numbers', async () => {
    const args = ['train', '--iters', '40', '--eval-every', '20', '--eval-samples', '500', '--seed', '6', '--json']
    const [reference, fast] = await Promise.all([runCli([...args, '--engine', 'reference']), runCli([...args, '--engine', 'fast'])])
    expect(reference.code, reference.stderr).toBe(0)
    expect(fast.code, fast.stderr).toBe(0)
    const results = (run: { stdout: string }) => jsonLines(run.stdout).map(({ seconds: _, ...rest }) => rest)
    const got = results(reference)
    expect(got.map((e) => e.iter ?? e.iters)).toEqual([0, 20, 39, 40])
    expect(got.at(-1)).toEqual(results(fast).at(-1))
    for (const e of results(fast)) expect(got).toContainEqual(e)
    const table = await runCli(['train', '--iters', '3', '--eval-every', '3', '--eval-samples', '100', '--engine', 'reference'])
    expect(table.code, table.stderr).toBe(0)
    expect(table.stdout).toMatch(/seed 1, reference engine \(the book's dense layers\)/)
    expect(table.stdout).toMatch(/Done after 3 iterations/)
  })

  it('gradcheck --json reports every parameter under 1e-6 with kinks counted', async () => {
    const run = await runCli(['gradcheck', '--json', '--seed', '3'])
    expect(run.code, run.stderr).toBe(0)
    const [event] = jsonLines(run.stdout) as [{ event: string; params: Record<string, { meanAbs: number; maxAbs: number; maxRel: number; kinks: number }> }]
    expect(event.event).toBe('gradcheck')
    expect(Object.keys(event.params)).toEqual(['W1', 'b1', 'W2', 'b2'])
    for (const p of Object.values(event.params)) {
      expect(p.meanAbs).toBeLessThanOrEqual(1e-6)
      expect(p.maxAbs).toBeGreaterThanOrEqual(p.meanAbs)
      expect(Number.isInteger(p.kinks)).toBe(true)
    }
  })

  it('reproduces the book: at least 97% test accuracy after 10000 iterations with the defaults', async () => {
    const run = await runCli(['train', '--eval-every', '5000', '--json'], 600_000)
    expect(run.code, run.stderr).toBe(0)
    const done = jsonLines(run.stdout).at(-1)!
    expect(done.iters).toBe(10000)
    expect(done.testAcc).toBeGreaterThanOrEqual(0.97)
  }, 600_000)
})

describe('cli errors', () => {
  const cases: [string, string[], RegExp][] = [
    ['a non-numeric --lr', ['train', '--lr', 'abc'], /--lr: expected a number, got "abc"/],
    ['a negative --lr', ['train', '--lr', '-0.1'], /--lr: must be a number > 0/],
    ['zero --iters', ['train', '--iters', '0'], /--iters: must be a whole number from 1/],
    ['a fractional --batch', ['train', '--batch', '2.5'], /--batch: must be a whole number/],
    ['a bad --hidden', ['train', '--hidden', '50,x'], /--hidden: expected sizes like 50 or 100,50/],
    ['an unknown --activation', ['train', '--activation', 'tanh'], /--activation: must be "relu" or "sigmoid", got "tanh"/],
    ['an unknown flag', ['train', '--epochs', '3'], /--epochs: unknown flag/],
    ['an unknown --engine', ['train', '--engine', 'numpy'], /--engine: expected fast or reference, got "numpy"/],
    ['a missing flag value', ['train', '--seed'], /--seed: missing value/],
    ['an unknown command', ['fit'], /unknown command "fit"/],
    ['a missing --model', ['eval'], /--model: required/],
    ['a --batch larger than the training set', ['train', '--batch', '60001'], /--batch: must be a whole number from 1 to 60000/],
  ]
  for (const [what, args, expected] of cases) {
    it(`refuses ${what} with one line and exit status 1`, async () => {
      expectOneLineError(await runCli(args), expected)
    })
  }

  it('names a missing dataset folder', async () => {
    const missing = join(dir, 'no-such-folder')
    expectOneLineError(await runCli(['train', '--data', missing]), new RegExp(`${missing}.*does not exist`))
  })

  it('names a corrupt IDX file in a dataset folder', async () => {
    const data = join(dir, 'corrupt')
    await mkdir(data)
    for (const f of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) {
      await writeFile(join(data, f), Buffer.from([0, 0, 8, 1, 0, 0]))
    }
    expectOneLineError(await runCli(['gradcheck', '--data', data]), /train-images-idx3-ubyte: .*(truncated|magic)/)
  })

  it('names a model file that is not valid JSON, one with a wrong shape, and one that is missing', async () => {
    const broken = join(dir, 'broken.json')
    await writeFile(broken, '{"format": "backprop-studio-model", ')
    expectOneLineError(await runCli(['eval', '--model', broken]), /broken\.json: .*JSON/)
    const net = new MultiLayerNet(BOOK_NETWORK, new Random(1))
    const model = modelFromRun(BOOK_TRAINING, {
      stopped: false, params: net.exportParams(), rngState: [], evals: [], seconds: 1, trainSeconds: 1, evalSeconds: 0,
      optimizerState: { step: 1, buffers: [] }, samplerState: { shuffleState: [], pos: 0 }, losses: Float64Array.of(2.3),
      summary: { iterations: 1, loss: 2.3, trainAcc: 0.1, testAcc: 0.1, dataset: { name: 'MNIST', fingerprint: 'x' } },
    })
    const wrongShape = join(dir, 'wrong-shape.json')
    await writeFile(wrongShape, serializeModel(model).replace('"hiddenSizes": [\n      50\n    ]', '"hiddenSizes": [40]').replace(/"hiddenSizes": \[\s*50\s*\]/, '"hiddenSizes": [40]'))
    expectOneLineError(await runCli(['eval', '--model', wrongShape]), /wrong-shape\.json: params\.W1\.shape: .*40/)
    const missing = join(dir, 'absent.json')
    expectOneLineError(await runCli(['eval', '--model', missing]), /absent\.json.*not found/)
  })

  it('refuses an unwritable --save path before training, and never damages an existing file', async () => {
    expectOneLineError(await runCli(['train', '--save', join(dir, 'nope', 'm.json')]), /--save: cannot write .*nope.*does not exist/)
    const existing = join(dir, 'precious.json')
    await writeFile(existing, 'keep me')
    expectOneLineError(await runCli(['train', '--save', existing, '--data', join(dir, 'no-such-folder')]), /does not exist/)
    expect(await readFile(existing, 'utf8')).toBe('keep me')
  })
})
