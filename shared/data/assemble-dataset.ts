import type { Dataset } from './dataset'
import { IdxFormatError } from './idx-format-error'
import { checkLabelRange, parseIdxImages, parseIdxLabels, type IdxImages, type IdxLabels } from './parse-idx'

/** One IDX file's bytes (already decompressed) and the name to use in error messages. */
export interface IdxFile {
  bytes: Uint8Array
  file: string
}

export interface DatasetParts {
  trainImages: IdxFile
  trainLabels: IdxFile
  testImages: IdxFile
  testLabels: IdxFile
}

/**
 * Parses the four IDX files and checks they agree: one label per image in each split,
 * one image size for both splits, and test labels within the classes seen in training
 * (classes = max train label + 1). The result's arrays are views into `parts` bytes.
 */
export function assembleDataset(parts: DatasetParts, name: string, fingerprint: string): Dataset {
  const trainImages = parseIdxImages(parts.trainImages.bytes, parts.trainImages.file)
  const trainLabels = parseIdxLabels(parts.trainLabels.bytes, parts.trainLabels.file)
  const testImages = parseIdxImages(parts.testImages.bytes, parts.testImages.file)
  const testLabels = parseIdxLabels(parts.testLabels.bytes, parts.testLabels.file)

  checkSplit(trainImages, trainLabels, parts.trainImages.file, parts.trainLabels.file)
  checkSplit(testImages, testLabels, parts.testImages.file, parts.testLabels.file)

  if (testImages.rows !== trainImages.rows || testImages.cols !== trainImages.cols) {
    throw new IdxFormatError(
      parts.testImages.file,
      `images are ${testImages.rows}×${testImages.cols} but ${parts.trainImages.file} images are ` +
        `${trainImages.rows}×${trainImages.cols}`,
    )
  }

  const classes = maxByte(trainLabels.labels) + 1
  checkLabelRange(testLabels.labels, parts.testLabels.file, classes)

  return {
    name,
    fingerprint,
    rows: trainImages.rows,
    cols: trainImages.cols,
    classes,
    train: { images: trainImages.images, labels: trainLabels.labels, count: trainImages.count },
    test: { images: testImages.images, labels: testLabels.labels, count: testImages.count },
  }
}

/** An empty split would leave classes undefined (train) or accuracy 0/0 (test). */
function checkSplit(images: IdxImages, labels: IdxLabels, imagesFile: string, labelsFile: string): void {
  if (images.count !== labels.count) {
    throw new IdxFormatError(
      labelsFile,
      `image/label count mismatch: ${labelsFile} has ${labels.count} labels but ${imagesFile} has ${images.count} images`,
    )
  }
  if (images.count === 0) {
    throw new IdxFormatError(imagesFile, `no images: ${imagesFile} and ${labelsFile} are empty`)
  }
}

function maxByte(values: Uint8Array): number {
  let max = 0
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i]
  return max
}
