import { computed, ref, shallowRef, watch, type Ref } from 'vue'
import type { NetworkConfig } from '../../../shared/engine/network-config'
import type { TrainConfig } from '../../../shared/engine/train-config'
import { errorInfo } from '../../../shared/error-info'
import type { BackpropApi, ErrorInfo, ModelInfo, NetworkInspection } from '../../../shared/ipc'
import { networkGraph } from '../lib/network-graph'

/** The batch the graph shows when neither the form nor the model gives one. */
const DEFAULT_BATCH = 100

/**
 * The Graph tab's `network` view: the current model's architecture (else the form's) with
 * shapes for the form's batch size, and one batch forward and backward through it, computed
 * on a worker when asked (`inspect`) and again whenever the model changes while shown.
 * One request at a time: an answer for an older request than the latest is dropped.
 */
export function useNetworkGraph(api: BackpropApi, model: Ref<ModelInfo | null>, config: Ref<TrainConfig | null>) {
  const network = computed<NetworkConfig | null>(() => model.value?.network ?? config.value?.network ?? null)
  const batchSize = computed(() => config.value?.batchSize ?? model.value?.training.batchSize ?? DEFAULT_BATCH)
  const source = computed(() => (model.value ? 'model' : 'form'))
  const inspection = shallowRef<NetworkInspection | null>(null)
  const error = ref<ErrorInfo | null>(null)
  const loading = ref(false)
  let request = 0

  const graph = computed(() => (network.value ? networkGraph(network.value, batchSize.value, inspection.value) : null))

  async function inspect(): Promise<void> {
    const net = network.value
    if (!net) return
    const mine = ++request
    loading.value = true
    try {
      const r = await api.inspectBatch({ network: net, batchSize: batchSize.value, seed: config.value?.seed ?? 1, useCurrentModel: model.value !== null })
      if (mine === request) { inspection.value = r; error.value = null }
    } catch (e) {
      if (mine === request) error.value = errorInfo(e)
    } finally {
      if (mine === request) loading.value = false
    }
  }

  // numbers of another model are not this model's; a new model is inspected at once
  watch(model, () => {
    inspection.value = null
    void inspect()
  })

  return { network, batchSize, source, inspection, graph, error, loading, inspect }
}

export type NetworkGraphState = ReturnType<typeof useNetworkGraph>
