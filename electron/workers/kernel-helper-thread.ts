import { MessageChannel, type Worker } from 'node:worker_threads'
import { KernelHelperClient, newKernelHelperChannel } from '../../shared/engine/kernel-helper'
import { spawnWorker } from '../services/spawn-worker'

/**
 * This thread's side of a kernel helper thread (kernel-helper.worker.ts). The thread starts at the
 * first share asked for, so a run whose products are all small never pays for it; until it is up,
 * and if it ever dies, the shares run here: a run never waits for it. It does not keep the process
 * alive; close() ends it.
 */
export function startKernelHelper(): KernelHelperClient {
  const channel = newKernelHelperChannel()
  const { port1, port2 } = new MessageChannel()
  port1.unref()
  let worker: Worker | null = null
  const client: KernelHelperClient = new KernelHelperClient(channel, (m) => port1.postMessage(m), {
    onGone: () => void worker?.terminate(),
    onFirstUse: () => {
      // the helper allocates nearly nothing of its own: its work is in the memories it is given
      worker = spawnWorker('kernel-helper', {
        workerData: { channel, port: port2 },
        transferList: [port2],
        resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4 },
      })
      worker.unref()
      worker.on('error', () => client.close())
      worker.on('exit', () => client.close())
    },
  })
  return client
}
