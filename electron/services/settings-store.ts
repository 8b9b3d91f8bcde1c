import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { atomicWriteFile } from './atomic-write'
import { readRegularFile } from './read-regular-file'

/** A settings file holds a few paths; anything larger is not ours. */
const MAX_SETTINGS_BYTES = 1024 * 1024

/**
 * One small JSON settings file: read once, kept in memory, and rewritten atomically on each
 * change. A file that is missing, too large, not a regular file (a FIFO would block the read)
 * or does not parse counts as `fallback`, so a damaged settings file never stops the app. Updates are applied one after another.
 */
export class SettingsStore<T> {
  private value: Promise<T> | null = null
  private queue: Promise<unknown> = Promise.resolve()

  /** `parse` turns the file's JSON into T, throwing on anything unexpected. */
  constructor(readonly file: string, private readonly parse: (raw: unknown) => T, private readonly fallback: T) {}

  get(): Promise<T> {
    this.value ??= this.load()
    return this.value
  }

  /** Applies `change` to the latest value and writes the result; resolves once it is on disk. */
  update(change: (current: T) => T): Promise<T> {
    const next = this.queue.then(async () => {
      const value = change(await this.get())
      await mkdir(dirname(this.file), { recursive: true })
      await atomicWriteFile(this.file, `${JSON.stringify(value, null, 2)}\n`)
      this.value = Promise.resolve(value)
      return value
    })
    this.queue = next.catch(() => undefined)
    return next
  }

  /** Resolves once every update so far has been written or has failed. */
  async flush(): Promise<void> {
    await this.queue
  }

  private async load(): Promise<T> {
    try {
      const bytes = await readRegularFile(this.file, { maxBytes: MAX_SETTINGS_BYTES })
      return this.parse(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)))
    } catch {
      return this.fallback
    }
  }
}
