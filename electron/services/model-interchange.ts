import { basename } from 'node:path'
import type { ModelFile } from '../../shared/model/model-file'
import { modelFromNpz, type NpzImport } from '../../shared/model/model-from-npz'
import { modelToNpz } from '../../shared/model/model-to-npz'
import { NPZ_LIMITS } from '../../shared/model/npz'
import { NpzError } from '../../shared/model/npz-error'
import { exportOnnx } from '../../shared/model/onnx-export'
import { AtomicWriteError, atomicWriteFile } from './atomic-write'
import { FileKindError } from './file-kind-error'
import { ModelStoreError, storeError } from './model-store'
import { FileReadTimeoutError, FileTooLargeError, readRegularFile } from './read-regular-file'

/** The formats a model is exported to: NumPy's .npz (the book's Python code) and ONNX. */
export type ExportFormat = 'npz' | 'onnx'

/** Checks an .npz's bytes: inline (the CLI), or on the file worker (the back end). */
export type NpzParser = (bytes: Uint8Array, source: string) => Promise<NpzImport>

export const parseNpzInline: NpzParser = async (bytes, source) => modelFromNpz(bytes, source)

/** A larger .npz is refused before it is read: the cap on what its entries may inflate to. */
export const NPZ_MAX_BYTES = NPZ_LIMITS.totalBytes

/** Encodes before touching the disk, then writes atomically; returns the file's size. */
export async function exportModelFile(path: string, model: ModelFile, format: ExportFormat): Promise<number> {
  const bytes = format === 'npz' ? modelToNpz(model) : exportOnnx(model)
  try {
    await atomicWriteFile(path, bytes)
  } catch (e) {
    if (e instanceof FileKindError || e instanceof AtomicWriteError) throw new ModelStoreError('write', path, e.problem, '', { cause: e })
    throw storeError('write', path, e, 'folder does not exist')
  }
  return bytes.length
}

/** The model in an .npz and the notes on what its file left out; NpzError names the file and array at fault. */
export async function importNpzFile(path: string, parse: NpzParser = parseNpzInline): Promise<NpzImport> {
  const source = basename(path)
  let bytes: Uint8Array
  try {
    bytes = await readRegularFile(path, { maxBytes: NPZ_MAX_BYTES })
  } catch (e) {
    if (e instanceof FileTooLargeError) throw new NpzError(source, '', `file is too large: ${e.size} bytes (the limit is ${NPZ_MAX_BYTES})`)
    if (e instanceof FileKindError || e instanceof FileReadTimeoutError) throw new ModelStoreError('read', path, e.problem, '', { cause: e })
    throw storeError('read', path, e, 'file not found')
  }
  return parse(bytes, source)
}
