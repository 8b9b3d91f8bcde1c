import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads'
import { serveKernels, type AttachMessage, type KernelHelperChannel } from '../../shared/engine/kernel-helper'
import { instantiateKernels } from '../../shared/engine/wasm-kernels'
import { collectGarbage } from './collect-garbage'
import { enableRelaxedSimd } from './enable-relaxed-simd'
import { lowerThreadPriority } from './lower-thread-priority'

enableRelaxedSimd()
lowerThreadPriority()
const { channel, port } = workerData as { channel: KernelHelperChannel; port: MessagePort }
serveKernels(channel, () => receiveMessageOnPort(port)?.message as AttachMessage, instantiateKernels, collectGarbage)
port.close()
