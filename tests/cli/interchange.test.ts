import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as ort from 'onnxruntime-web'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonLines, runCli, type CliRun } from './run-cli'

let dir: string
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'cli-interchange-')) })
afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

function expectOneLineError(run: CliRun, message: RegExp): void {
  expect(run.code).toBe(1)
  const lines = run.stderr.trimEnd().split('\n')
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(message)
}

describe('train --export-npz --export-onnx, and import --npz', () => {
  it('exports both formats after training, and import --save gives back the trained accuracies', async () => {
    const npz = join(dir, 'run.npz'), onnx = join(dir, 'run.onnx'), saved = join(dir, 'imported.json')
    const train = await runCli(['train', '--iters', '300', '--hidden', '30', '--eval-every', '300', '--json', '--export-npz', npz, '--export-onnx', onnx])
    expect(train.stderr).toBe('')
    const events = jsonLines(train.stdout)
    const done = events.find((e) => e.event === 'done')!
    expect(events.filter((e) => e.event === 'export')).toEqual([
      { event: 'export', format: 'npz', path: npz, bytes: (await readFile(npz)).length },
      { event: 'export', format: 'onnx', path: onnx, bytes: (await readFile(onnx)).length },
    ])
    ort.env.wasm.numThreads = 1
    const session = await ort.InferenceSession.create(await readFile(onnx))
    expect(session.inputNames).toEqual(['x'])
    await session.release()

    const imported = await runCli(['import', '--npz', npz, '--save', saved, '--json'])
    expect(imported.stderr).toBe('')
    const [line] = jsonLines(imported.stdout)
    expect(line).toMatchObject({ event: 'import', network: { hiddenSizes: [30], activation: 'relu' }, trainAcc: done.trainAcc, testAcc: done.testAcc, notes: [], saved })
    const evaluated = jsonLines((await runCli(['eval', '--model', saved, '--json'])).stdout)[0]
    expect(evaluated).toMatchObject({ trainAcc: done.trainAcc, testAcc: done.testAcc })
  }, 240_000)

  it('says in text what it assumed for an .npz without config.json', async () => {
    // the TwoLayerNet of the run above, without config.json: relu is assumed
    const { zipSync, unzipSync } = await import('fflate')
    const entries = unzipSync(await readFile(join(dir, 'run.npz')))
    delete entries['config.json']
    await writeFile(join(dir, 'book.npz'), zipSync(entries, { level: 0 }))
    const run = await runCli(['import', '--npz', join(dir, 'book.npz')])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^Imported 784-30-10 relu from .*book\.npz\nnote: no config\.json in book\.npz: relu assumed \(the book's default\)\n/)
    expect(run.stdout).toMatch(/\ntrain accuracy 0\.\d{4}, test accuracy 0\.\d{4} on MNIST/)
  }, 120_000)

  it('refuses bad flags and files with one line and exit status 1', async () => {
    expectOneLineError(await runCli(['import']), /^backprop-studio: --npz: required/)
    expectOneLineError(await runCli(['import', '--npz', join(dir, 'nope.npz')]), /^backprop-studio: cannot read .*nope\.npz: file not found$/)
    await writeFile(join(dir, 'junk.npz'), 'junk')
    expectOneLineError(await runCli(['import', '--npz', join(dir, 'junk.npz')]), /^backprop-studio: junk\.npz: not a valid \.npz \(zip\) archive$/)
    expectOneLineError(await runCli(['import', '--npz', join(dir, 'junk.npz'), '--save', join(dir, 'no-such-folder', 'm.json')]), /^backprop-studio: --save: cannot write .*folder .*no-such-folder does not exist$/)
    expectOneLineError(await runCli(['train', '--iters', '10', '--export-onnx', join(dir, 'no-such-folder', 'm.onnx')]), /^backprop-studio: --export-onnx: cannot write .* does not exist$/)
    expectOneLineError(await runCli(['train', '--export-npz']), /^backprop-studio: --export-npz: missing value$/)
  }, 120_000)
})
