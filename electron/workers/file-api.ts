import { createHash } from 'node:crypto'
import type { DatasetParts } from '../../shared/data/assemble-dataset'
import type { Dataset } from '../../shared/data/dataset'
import { sparseDataset } from '../../shared/data/sparse-dataset'
import { parseModelBytes } from '../../shared/model/model-file'
import { modelFromNpz } from '../../shared/model/model-from-npz'

/**
 * What builds a Dataset from its four decompressed files. Their bytes are views over
 * SharedArrayBuffers, so they reach the worker without a copy.
 */
export interface DatasetInput {
  parts: DatasetParts
  name: string
  /** The folder, named in a DatasetTooLargeError. */
  dir: string
  maxNonzeroPixels: number
}

/** SHA-256 of the four files' bytes in fingerprint order: train images, train labels, test images, test labels. */
function fingerprint(parts: DatasetParts): string {
  const hash = createHash('sha256')
  for (const part of [parts.trainImages, parts.trainLabels, parts.testImages, parts.testLabels]) hash.update(part.bytes)
  return hash.digest('hex')
}

/**
 * What the file worker exposes: parsing that may take seconds or much memory on a large or
 * hostile file, kept off the main process's event loop and inside a capped heap.
 */
export function createFileApi() {
  return {
    /** A model file's bytes checked and decoded; `source` names the file in messages. */
    parseModel: parseModelBytes,

    /** An .npz of the book's arrays as a model, and what the import assumed; `source` names the file. */
    parseNpz(bytes: Uint8Array, source: string) {
      return modelFromNpz(bytes, source)
    },

    /**
     * The dataset, fingerprinted, checked and with its images listed by their nonzero pixels.
     * Its labels view the input's shared bytes and its lists are allocated in shared memory,
     * so returning it copies no array.
     */
    buildDataset(input: DatasetInput): Dataset {
      return sparseDataset(input.parts, {
        name: input.name,
        fingerprint: fingerprint(input.parts),
        dir: input.dir,
        maxNonzeroPixels: input.maxNonzeroPixels,
      })
    },
  }
}

export type FileApi = ReturnType<typeof createFileApi>
