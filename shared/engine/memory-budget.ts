import type { Dataset } from '../data/dataset'
import { MemoryBudgetError } from './memory-budget-error'
import { layerSizes, type NetworkConfig } from './network-config'
import type { OptimizerKind } from './optimizer'
import type { TrainConfig } from './train-config'
import { formatBytes } from '../format-bytes'

/**
 * Memory one worker may use for a job's parameters and buffers: 1 GiB. The V8 heap cap
 * (DEFAULT_RESOURCE_LIMITS) does not cover them: they are typed arrays and WebAssembly
 * memories, outside the heap, so configs are refused up front instead.
 */
export const WORKER_MEMORY_BUDGET = 2 ** 30

/** Rows per forward pass when the trainer evaluates (its EVAL_CHUNK): bounds the evaluation buffers. */
const EVAL_ROWS = 1000

/**
 * Bytes per parameter held by a worker during training, counted as float64s: W and b, dW
 * and db (2), a copy of W arranged for the fast kernels (1: Wᵀ for a hidden layer's dx, or W in
 * panels for a wide first layer), a snapshot held for evaluation and one being sent (2), the
 * exported result (1), and a second network a worker keeps to evaluate snapshots (2).
 */
const PARAM_BYTES = 8 * 8
/**
 * Per-parameter buffers each optimiser keeps (Adam: m and v), each held twice: the buffer and
 * the copy its state() hands over with the result.
 */
const OPTIMIZER_COPIES: Record<OptimizerKind, number> = { sgd: 0, momentum: 1, nesterov: 1, adagrad: 1, rmsprop: 1, adam: 2 }
const OPTIMIZER_BYTES = 8 * 2

/** Per row and hidden unit: BatchNorm's xc, xn, output and dx (8 each); Dropout's mask (1), output and dx (8 each). */
const BATCHNORM_BYTES = 4 * 8
const DROPOUT_BYTES = 1 + 2 * 8

/** A gradient check's network (2) and its copy of the analytic gradients (1). */
const GRADCHECK_PARAM_BYTES = 8 * 3

/**
 * Bytes per row of a batch for one layer (in → out): the images dense (8 per pixel, the
 * reference engine) and their nonzero pixels listed by row and by column (index 4 + value 8
 * in each order); a hidden layer's input, every value counted as nonzero, in the same three
 * forms plus dx (8); each output as the Affine's y (8), the activation's output and mask
 * (8 + 8) and dout (8).
 */
const PIXEL_BYTES = 8
const NONZERO_PIXEL_BYTES = 2 * 12
const HIDDEN_INPUT_BYTES = 8 + 2 * 12 + 8
const OUTPUT_BYTES = 4 * 8

/** What the estimate needs of a dataset. */
export interface DatasetDims {
  /** Mean fraction of nonzero pixels per image (MNIST: about 0.19); 1 when unknown. */
  density: number
}

/** The training images' mean fraction of nonzero pixels, from their pixel lists. */
export function datasetDims(d: Dataset): DatasetDims {
  const sparse = d.train.sparse
  const pixels = d.train.count * d.rows * d.cols
  if (!sparse || pixels === 0) return { density: 1 }
  return { density: Math.min(1, sparse.start[d.train.count] / pixels) }
}

export interface WorkerBytes {
  /** Parameters and their copies. */
  params: number
  /** Batch and evaluation buffers. */
  buffers: number
  total: number
}

/** Bytes of per-row buffers for `rows` rows through the whole network. */
function rowBytes(network: NetworkConfig, rows: number, dims: DatasetDims, dropout = false): number {
  const sizes = layerSizes(network)
  let perRow = sizes[0] * (PIXEL_BYTES + dims.density * NONZERO_PIXEL_BYTES)
  for (let k = 1; k < sizes.length; k++) perRow += (k > 1 ? sizes[k - 1] * HIDDEN_INPUT_BYTES : 0) + sizes[k] * OUTPUT_BYTES
  const hidden = network.hiddenSizes.reduce((a, b) => a + b, 0)
  perRow += hidden * ((network.batchnorm ? BATCHNORM_BYTES : 0) + (dropout ? DROPOUT_BYTES : 0))
  return Math.ceil(perRow * rows)
}

/** Every value exported with the weights, BatchNorm's gamma, beta and running statistics included. */
export function parameterCount(network: NetworkConfig): number {
  const sizes = layerSizes(network)
  let n = 0
  for (let k = 1; k < sizes.length; k++) n += (sizes[k - 1] + 1) * sizes[k] + (network.batchnorm && k < sizes.length - 1 ? 4 * sizes[k] : 0)
  return n
}

/**
 * An upper estimate of what a worker holds for a training job: parameters and their copies,
 * plus the buffers of one mini-batch and of one evaluation chunk. Dataset arrays are shared
 * memory, held once by the process whatever the number of workers, and are not counted.
 */
export function estimateWorkerBytes(config: Pick<TrainConfig, 'network' | 'batchSize' | 'optimizer' | 'dropout'>, dims: DatasetDims = { density: 1 }): WorkerBytes {
  const perParam = PARAM_BYTES + OPTIMIZER_COPIES[config.optimizer?.kind ?? 'sgd'] * OPTIMIZER_BYTES
  const params = parameterCount(config.network) * perParam
  const buffers = rowBytes(config.network, config.batchSize, dims, (config.dropout ?? 0) > 0) + rowBytes(config.network, EVAL_ROWS, dims)
  return { params, buffers, total: params + buffers }
}

/** The same for a gradient check on `samples` images: its network, the images as a dense matrix, one batch's buffers. */
export function estimateGradCheckBytes(network: NetworkConfig, samples: number, dims: DatasetDims = { density: 1 }): WorkerBytes {
  const params = parameterCount(network) * GRADCHECK_PARAM_BYTES
  const buffers = samples * network.inputSize * 8 + rowBytes(network, samples, dims)
  return { params, buffers, total: params + buffers }
}

/**
 * Refuses a job whose estimate is over `budget`, naming the field to change: the network
 * when its parameters dominate, else `batchField` (the batch size, or a gradient check's samples).
 */
export function checkMemoryBudget(bytes: WorkerBytes, batchField: string, budget = WORKER_MEMORY_BUDGET): void {
  if (bytes.total <= budget) return
  const network = bytes.params >= bytes.buffers
  const limit = formatBytes(budget)
  const remedy = batchField === 'samples' ? 'fewer images' : 'a smaller batch'
  throw new MemoryBudgetError({
    field: network ? 'network.hiddenSizes' : batchField,
    message: `this ${network ? 'network' : 'job'} needs ${formatBytes(bytes.total)} per worker, over the ${limit} budget; use ${network ? `fewer or smaller layers or ${remedy}` : `${remedy} or fewer or smaller layers`}`,
  })
}
