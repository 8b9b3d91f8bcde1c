/** Where commands write: results on stdout, a redrawn status line on stderr when it is a terminal. */
export interface Output {
  line(text: string): void
  status(text: string): void
}

export function terminalOutput(): Output {
  const tty = process.stderr.isTTY === true
  let shown = false
  return {
    line(text) { process.stdout.write(`${text}\n`) },
    status(text) {
      if (!tty) return
      if (text === '' && !shown) return
      process.stderr.write(`\r\x1b[2K${text}`)
      shown = text !== ''
    },
  }
}
