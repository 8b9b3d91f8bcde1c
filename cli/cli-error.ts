/** A user mistake the CLI reports as one line on stderr with exit status 1. */
export class CliError extends Error {
  override name = 'CliError'
}
