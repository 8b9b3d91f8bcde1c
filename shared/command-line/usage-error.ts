/** A mistake on a command line (the CLI's, web mode's, the launcher's): one line on stderr, exit status 1. */
export class UsageError extends Error {
  override name = 'UsageError'
}
