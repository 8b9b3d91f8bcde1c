import { classCounts, emptyClasses, emptyClassesWarning } from '../shared/data/class-counts'
import type { Dataset } from '../shared/data/dataset'

/** Classes per block of the table, so 10 digits fit one block and a set with more wraps. */
const CLASSES_PER_BLOCK = 10

export interface DatasetSummary {
  /** For stdout: the shape, then images per class in each split. */
  lines: string[]
  /** For stderr, each to be printed after `warning: `. */
  warnings: string[]
}

/** What a dataset holds: its shape, its images per class, and the classes no training image names. */
export function datasetSummary(d: Dataset): DatasetSummary {
  const train = classCounts(d.train.labels, d.classes)
  const test = classCounts(d.test.labels, d.classes)
  const lines = [`Dataset ${d.name}: ${d.train.count} training and ${d.test.count} test images of ${d.rows}×${d.cols}, ${d.classes} classes`]
  for (let from = 0; from < d.classes; from += CLASSES_PER_BLOCK) {
    const ks = Array.from({ length: Math.min(CLASSES_PER_BLOCK, d.classes - from) }, (_, i) => from + i)
    const width = Math.max(...ks.map((k) => String(Math.max(k, train[k], test[k])).length)) + 2
    const row = (title: string, cell: (k: number) => number) => `  ${title.padEnd(5)}${ks.map((k) => String(cell(k)).padStart(width)).join('')}`
    lines.push(row('class', (k) => k), row('train', (k) => train[k]), row('test', (k) => test[k]))
  }
  const warning = emptyClassesWarning(emptyClasses(train), d.classes)
  return { lines, warnings: warning ? [warning] : [] }
}
