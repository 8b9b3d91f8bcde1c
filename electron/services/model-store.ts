import { basename } from 'node:path'
import { checkModelSize, MODEL_MAX_BYTES, parseModelBytes, serializeModel, type ModelFile } from '../../shared/model/model-file'
import { AtomicWriteError, atomicWriteFile } from './atomic-write'
import { FileKindError } from './file-kind-error'
import { FileReadTimeoutError, FileTooLargeError, readRegularFile } from './read-regular-file'

/** The file system refused a model file. The message reads `cannot <verb> <path>: <reason>`. */
export class ModelStoreError extends Error {
  override readonly name = 'ModelStoreError'
  readonly path: string
  /** The errno code, e.g. 'ENOENT', or '' when the problem is not a system error. */
  readonly code: string

  constructor(verb: 'read' | 'write' | 'list', path: string, reason: string, code: string, options?: ErrorOptions) {
    super(`cannot ${verb} ${path}: ${reason}`, options)
    this.path = path
    this.code = code
  }
}

/** Checks a model file's bytes: inline (the CLI), or on the file worker (the back end). */
export type ModelParser = (bytes: Uint8Array, source: string) => Promise<ModelFile>

export const parseInline: ModelParser = async (bytes, source) => parseModelBytes(bytes, source)

/** Serializes before touching the disk, so a model that cannot be written leaves the old file alone. */
export async function saveModel(path: string, model: ModelFile): Promise<void> {
  const text = serializeModel(model, basename(path))
  try {
    await atomicWriteFile(path, text)
  } catch (e) {
    if (e instanceof FileKindError || e instanceof AtomicWriteError) throw new ModelStoreError('write', path, e.problem, '', { cause: e })
    throw storeError('write', path, e, 'folder does not exist')
  }
}

/** The checked model and its size on disk. */
export async function loadModel(path: string, parse: ModelParser = parseInline): Promise<{ model: ModelFile; sizeBytes: number }> {
  return readModel(path, parse)
}

async function readModel(path: string, parse: ModelParser): Promise<{ model: ModelFile; sizeBytes: number }> {
  const source = basename(path)
  let bytes: Uint8Array
  try {
    bytes = await readRegularFile(path, { maxBytes: MODEL_MAX_BYTES })
  } catch (e) {
    if (e instanceof FileTooLargeError) checkModelSize(e.size, source)
    if (e instanceof FileKindError || e instanceof FileReadTimeoutError) throw new ModelStoreError('read', path, e.problem, '', { cause: e })
    throw storeError('read', path, e, 'file not found')
  }
  return { model: await parse(bytes, source), sizeBytes: bytes.length }
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'disk is full',
  EDQUOT: 'disk quota exceeded',
  EISDIR: 'is a folder',
  ENOTDIR: 'a part of the path is not a folder',
  ENAMETOOLONG: 'path is too long',
  EBUSY: 'file is in use by another program',
  EMFILE: 'too many open files',
}

/** ENOENT means the file when reading but the folder when writing, hence `notFound`. */
export function storeError(verb: 'read' | 'write' | 'list', path: string, e: unknown, notFound: string): ModelStoreError {
  const code = e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : ''
  const reason = code === 'ENOENT' ? notFound : (REASONS[code] ?? (e instanceof Error ? e.message : String(e)))
  return new ModelStoreError(verb, path, reason, code, { cause: e })
}
