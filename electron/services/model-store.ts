import { open, readdir } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import { checkModelSize, ModelFileError, parseModel, serializeModel, type ModelFile } from '../../shared/model/model-file'
import { atomicWriteFile } from './atomic-write'

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

export interface ModelListing {
  path: string
  /** File name without `.json`. */
  name: string
  savedAt: string
  testAcc: number
  sizeBytes: number
}

/** Serializes before touching the disk, so a model that cannot be written leaves the old file alone. */
export async function saveModel(path: string, model: ModelFile): Promise<void> {
  const text = serializeModel(model, basename(path))
  try {
    await atomicWriteFile(path, text)
  } catch (e) {
    throw storeError('write', path, e, 'folder does not exist')
  }
}

export async function loadModel(path: string): Promise<ModelFile> {
  return (await readModel(path)).model
}

/** `*.json` model files in `dir`, newest savedAt first; files that do not load are skipped. */
export async function listModels(dir: string): Promise<ModelListing[]> {
  let names: string[]
  try {
    const entries = await readdir(dir, { withFileTypes: true })
    names = entries.filter((e) => e.isFile() && extname(e.name).toLowerCase() === '.json').map((e) => e.name)
  } catch (e) {
    throw storeError('list', dir, e, 'folder does not exist')
  }
  const listings: ModelListing[] = []
  // One at a time: each file may be up to MODEL_MAX_BYTES in memory while it is checked.
  for (const fileName of names) {
    const path = join(dir, fileName)
    try {
      const { model, sizeBytes } = await readModel(path)
      listings.push({
        path,
        name: basename(fileName, extname(fileName)),
        savedAt: model.savedAt,
        testAcc: model.summary.testAcc,
        sizeBytes,
      })
    } catch (e) {
      if (!(e instanceof ModelFileError || e instanceof ModelStoreError)) throw e
    }
  }
  return listings.sort((a, b) => Date.parse(b.savedAt) - Date.parse(a.savedAt) || a.name.localeCompare(b.name))
}

async function readModel(path: string): Promise<{ model: ModelFile; sizeBytes: number }> {
  const source = basename(path)
  let bytes: Uint8Array
  try {
    const handle = await open(path, 'r')
    try {
      // Size from the open handle, so the file checked is the file read.
      const stat = await handle.stat()
      if (!stat.isFile()) throw new ModelStoreError('read', path, 'not a file', '')
      checkModelSize(stat.size, source)
      bytes = await handle.readFile()
    } finally {
      await handle.close()
    }
  } catch (e) {
    if (e instanceof ModelFileError || e instanceof ModelStoreError) throw e
    throw storeError('read', path, e, 'file not found')
  }
  // The file may have grown between stat and read.
  checkModelSize(bytes.length, source)
  let text: string
  try {
    // fatal: corrupt bytes are refused rather than silently replaced; a leading BOM is dropped.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch (e) {
    throw new ModelFileError(source, '', 'not valid UTF-8 text', { cause: e })
  }
  return { model: parseModel(text, source), sizeBytes: bytes.length }
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
function storeError(verb: 'read' | 'write' | 'list', path: string, e: unknown, notFound: string): ModelStoreError {
  const code = e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : ''
  const reason = code === 'ENOENT' ? notFound : (REASONS[code] ?? (e instanceof Error ? e.message : String(e)))
  return new ModelStoreError(verb, path, reason, code, { cause: e })
}
