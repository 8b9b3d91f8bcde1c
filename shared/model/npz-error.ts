/**
 * An .npz (or one of its .npy arrays) that cannot be read or imported. The message reads
 * `<source>: <entry>: <problem>`, entry being the array's name (W1) or '' for the archive as a whole.
 */
export class NpzError extends Error {
  override readonly name = 'NpzError'
  readonly source: string
  readonly entry: string

  constructor(source: string, entry: string, problem: string, options?: ErrorOptions) {
    super(entry ? `${source}: ${entry}: ${problem}` : `${source}: ${problem}`, options)
    this.source = source
    this.entry = entry
  }
}

/** A name from a file, shown in a message only when it is short and plain, never as raw file content. */
export function shownName(name: string): string {
  return /^[\w.\- ]{1,64}$/.test(name) ? JSON.stringify(name) : 'an entry with an unusual name'
}
