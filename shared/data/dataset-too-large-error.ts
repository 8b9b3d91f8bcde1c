/** A dataset folder whose files, each within its own cap, together pass a cap on the whole set. */
export class DatasetTooLargeError extends Error {
  override readonly name = 'DatasetTooLargeError'
  readonly dir: string

  constructor(dir: string, problem: string) {
    super(`${dir}: ${problem}`)
    this.dir = dir
  }
}
