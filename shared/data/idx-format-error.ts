/** A malformed or inconsistent IDX file. The message reads `<file>: <problem>`. */
export class IdxFormatError extends Error {
  override readonly name = 'IdxFormatError'
  readonly file: string

  constructor(file: string, problem: string, options?: ErrorOptions) {
    super(`${file}: ${problem}`, options)
    this.file = file
  }
}
