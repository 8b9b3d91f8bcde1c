import { constants } from 'node:fs'
import { access, stat } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { UsageError } from '../shared/command-line/usage-error'

/** Fails before any training when --save could not be written at the end. Writes nothing. */
export async function checkWritable(path: string, flag: string): Promise<string> {
  const full = resolve(path)
  const dir = dirname(full)
  const info = await stat(dir).catch(() => null)
  if (!info) throw new UsageError(`${flag}: cannot write ${full}: folder ${dir} does not exist`)
  if (!info.isDirectory()) throw new UsageError(`${flag}: cannot write ${full}: ${dir} is not a folder`)
  await access(dir, constants.W_OK).catch(() => {
    throw new UsageError(`${flag}: cannot write ${full}: folder ${dir} is not writable`)
  })
  const target = await stat(full).catch(() => null)
  if (target?.isDirectory()) throw new UsageError(`${flag}: cannot write ${full}: it is a folder`)
  return full
}
