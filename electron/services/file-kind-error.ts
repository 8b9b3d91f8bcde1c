import type { Stats } from 'node:fs'

/**
 * A path that names something other than a regular file: a folder, a device, a named pipe or a
 * socket. Reading a pipe or a device blocks or never ends, and replacing one destroys it, so the
 * stores refuse them. The message reads `/dev/zero: not a regular file (a character device)`.
 */
export class FileKindError extends Error {
  override readonly name = 'FileKindError'
  readonly path: string
  /** The message without the path, e.g. `not a regular file (a FIFO)`. */
  readonly problem: string

  constructor(path: string, stats: Stats, options?: ErrorOptions) {
    const problem = `not a regular file (${describeFileKind(stats)})`
    super(`${path}: ${problem}`, options)
    this.path = path
    this.problem = problem
  }
}

function describeFileKind(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder'
  if (stats.isCharacterDevice()) return 'a character device'
  if (stats.isBlockDevice()) return 'a block device'
  if (stats.isFIFO()) return 'a FIFO'
  if (stats.isSocket()) return 'a socket'
  if (stats.isSymbolicLink()) return 'a symbolic link'
  return 'an unknown kind of file'
}
