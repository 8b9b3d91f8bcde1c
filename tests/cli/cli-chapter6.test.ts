import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseModel } from '../../shared/model/model-file'
import { jsonLines, runCli } from './run-cli'

let dir: string
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'bps-cli6-')) })
afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

function expectOneLineError(run: { code: number | null; stderr: string }, expected: RegExp) {
  expect(run.code).toBe(1)
  const lines = run.stderr.trimEnd().split('\n')
  expect(lines, run.stderr).toHaveLength(1)
  expect(lines[0]).toMatch(expected)
  expect(run.stderr).not.toMatch(/\n\s+at /)
}

const SMALL = ['--hidden', '20', '--batch', '20', '--eval-every', '20', '--eval-samples', '200', '--seed', '4']
const bytes = async (path: string) => {
  const m = parseModel(await readFile(path, 'utf8'), path)
  return { m, params: Buffer.concat(m.params.map((p) => Buffer.from(p.data.buffer))), losses: Buffer.from(m.history!.losses.buffer) }
}

describe('cli train with chapter 6\'s options', () => {
  it('--resume continues an Adam run with dropout bit for bit: loss history and weights equal an uninterrupted run\'s', async () => {
    const opts = [...SMALL, '--optimizer', 'adam', '--lr', '0.001', '--dropout', '0.2', '--weight-decay', '0.001', '--json']
    const whole = join(dir, 'whole.json'), first = join(dir, 'first.json'), rest = join(dir, 'rest.json')
    const [a, b] = await Promise.all([
      runCli(['train', ...opts, '--iters', '50', '--save', whole]),
      runCli(['train', ...opts, '--iters', '30', '--save', first]),
    ])
    expect(a.code, a.stderr).toBe(0)
    expect(b.code, b.stderr).toBe(0)
    const c = await runCli(['train', '--resume', first, '--iters', '20', '--save', rest, '--json'])
    expect(c.code, c.stderr).toBe(0)
    expect(jsonLines(c.stdout).at(-1)).toMatchObject({ event: 'done', iters: 50 })
    const w = await bytes(whole), r = await bytes(rest)
    expect(r.m.training.optimizer).toEqual({ kind: 'adam', beta1: 0.9, beta2: 0.999 })
    expect(r.m.history!.losses.length).toBe(50)
    expect(r.losses.equals(w.losses)).toBe(true)
    expect(r.params.equals(w.params)).toBe(true)
    expect(r.m.optimizer!.step).toBe(50)
  })

  it('the watchdog prints its line and exits 1 after saving at lr 10; --no-watchdog runs on', async () => {
    const saved = join(dir, 'wild.json')
    const run = await runCli(['train', '--iters', '200', '--lr', '10', '--eval-every', '100', '--eval-samples', '200', '--save', saved])
    expectOneLineError(run, /^backprop-studio: watchdog paused training at iteration \d+: the step for W\d would be .*; learning rate 10 is too high for SGD here; try 0\.1$/)
    const m = parseModel(await readFile(saved, 'utf8'), saved)
    expect(m.summary.iterations).toBeLessThan(200)
    expect(m.params.every((p) => p.data.every(Number.isFinite))).toBe(true)
    const free = await runCli(['train', '--iters', '60', '--lr', '10', '--eval-every', '100', '--eval-samples', '200', '--no-watchdog', '--json'])
    expect(free.code, free.stderr).toBe(0)
    expect(jsonLines(free.stdout).at(-1)).toMatchObject({ event: 'done', iters: 60 })
  })
})

describe('cli errors for chapter 6\'s flags', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown --optimizer', ['train', '--optimizer', 'adamw'], /--optimizer: expected sgd, momentum, nesterov, adagrad, rmsprop, adam, got "adamw"/],
    ['--beta1 without adam', ['train', '--beta1', '0.8'], /--beta1: only applies with --optimizer adam, not sgd/],
    ['--momentum with adam', ['train', '--optimizer', 'adam', '--momentum', '0.8'], /--momentum: only applies with --optimizer momentum or nesterov, not adam/],
    ['a --momentum of 1', ['train', '--optimizer', 'momentum', '--momentum', '1'], /--momentum: must be a number ≥ 0 and < 1, got 1/],
    ['a --beta2 of x', ['train', '--optimizer', 'adam', '--beta2', 'x'], /--beta2: expected a number, got "x"/],
    ['a negative --weight-decay', ['train', '--weight-decay', '-1'], /--weight-decay: must be a number from 0 to 10, got -1/],
    ['a --dropout of 1', ['train', '--dropout', '1'], /--dropout: must be a number ≥ 0 and < 1, got 1/],
    ['--batchnorm with a value', ['train', '--batchnorm=yes'], /--batchnorm: takes no value/],
    ['a missing --resume file', ['train', '--resume', '/nonexistent/model.json'], /\/nonexistent\/model\.json/],
  ]
  for (const [what, args, expected] of cases) {
    it(`refuses ${what} with one line and exit status 1`, async () => {
      expectOneLineError(await runCli(args), expected)
    })
  }

  it('refuses network flags with --resume, and a corrupt --resume file, without touching it', async () => {
    const path = join(dir, 'broken.json')
    await writeFile(path, '{"format": "backprop-studio-model", "version": 2, "savedAt": 1}')
    expectOneLineError(await runCli(['train', '--resume', path]), /broken\.json: /)
    expect(await readFile(path, 'utf8')).toBe('{"format": "backprop-studio-model", "version": 2, "savedAt": 1}')
    const good = join(dir, 'good.json')
    expect((await runCli(['train', ...SMALL, '--iters', '5', '--save', good])).code).toBe(0)
    expectOneLineError(await runCli(['train', '--resume', good, '--hidden', '30']), /--hidden: a resumed run keeps the model's network; leave --hidden out with --resume/)
  })
})
