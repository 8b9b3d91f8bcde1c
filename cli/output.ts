/**
 * Where commands write: results on stdout; on stderr, `warning: …` lines and, when it is a
 * terminal, a redrawn status line.
 */
export interface Output {
  line(text: string): void
  status(text: string): void
  warn(text: string): void
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
    warn(text) {
      process.stderr.write(`${shown ? '\r\x1b[2K' : ''}warning: ${text}\n`)
      shown = false
    },
  }
}
