import { unzipSync, zipSync, type Zippable } from 'fflate'
import { NpzError, shownName } from './npz-error'

/** Bounds on an archive, checked from its directory before anything is inflated. */
export interface NpzLimits {
  /** Most entries: a network of 8 hidden layers with Batch Normalization has 52 arrays, plus config.json. */
  entries: number
  /** Most bytes all entries may inflate to, as their headers declare (fflate inflates no further). */
  totalBytes: number
}

export const NPZ_LIMITS: NpzLimits = { entries: 64, totalBytes: 128 * 1024 * 1024 }

/**
 * An .npz as np.savez writes it: a zip of `<name>.npy` entries (and here `config.json`), stored
 * uncompressed. `mtime` dates the entries, so the same model gives the same bytes.
 */
export function zipNpz(entries: Record<string, Uint8Array>, mtime: Date): Uint8Array {
  const files: Zippable = {}
  for (const [name, bytes] of Object.entries(entries)) files[name] = [bytes, { level: 0, mtime }]
  return zipSync(files)
}

/**
 * The entries of an .npz (a zip, stored or deflated, zip64 included). The entry count and the
 * sizes the directory declares are checked before anything is inflated, so a zip bomb is refused
 * rather than expanded; duplicate names are refused too. `source` names the file in messages.
 */
export function unzipNpz(bytes: Uint8Array, source: string, limits: NpzLimits = NPZ_LIMITS): Map<string, Uint8Array> {
  let count = 0
  let total = 0
  const seen = new Set<string>()
  let files: Record<string, Uint8Array>
  try {
    files = unzipSync(bytes, {
      filter(file) {
        if (++count > limits.entries) throw new NpzError(source, '', `holds more than ${limits.entries} entries; an .npz of a network has at most ${limits.entries}`)
        if (seen.has(file.name)) throw new NpzError(source, '', `holds ${shownName(file.name)} twice`)
        seen.add(file.name)
        // a stored entry is copied at its compressed size, and entries may overlap: count what each one yields
        const yields = file.compression === 0 ? file.size : file.originalSize
        total += yields
        if (!Number.isSafeInteger(yields) || total > limits.totalBytes) {
          throw new NpzError(source, '', `would inflate to more than ${limits.totalBytes} bytes (the limit for a model)`)
        }
        if (file.compression !== 0 && file.compression !== 8) {
          throw new NpzError(source, '', `${shownName(file.name)} uses zip compression method ${file.compression}; only stored and deflated entries can be read (np.savez and np.savez_compressed write those)`)
        }
        return true
      },
    })
  } catch (e) {
    if (e instanceof NpzError) throw e
    throw new NpzError(source, '', 'not a valid .npz (zip) archive', { cause: e })
  }
  return new Map(Object.entries(files))
}
