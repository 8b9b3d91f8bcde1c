import { MessageChannel } from 'node:worker_threads'
import { KernelHelperClient, newKernelHelperChannel } from '../../shared/engine/kernel-helper'
import { spawnWorker } from '../services/spawn-worker'

/**
 * Starts a kernel helper thread (kernel-helper.worker.ts) and returns this thread's side of it.
 * Until the thread is up, and if it ever dies, the shares it would take run here: a run never
 * waits for it. It does not keep the process alive; close() ends it.
 */
export function startKernelHelper(): KernelHelperClient {
  const channel = newKernelHelperChannel()
  const { port1, port2 } = new MessageChannel()
  // the helper allocates nearly nothing of its own: its work is in the memories it is given
  const worker = spawnWorker('kernel-helper', {
    workerData: { channel, port: port2 },
    transferList: [port2],
    resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4 },
  })
  worker.unref()
  port1.unref()
  const client = new KernelHelperClient(channel, (m) => port1.postMessage(m), () => void worker.terminate())
  worker.on('error', () => client.close())
  worker.on('exit', () => client.close())
  return client
}
