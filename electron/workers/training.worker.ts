import { parentPort } from 'node:worker_threads'
import { expose } from 'comlink'
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs'
import { enableRelaxedSimd } from './enable-relaxed-simd'
import { lowerThreadPriority } from './lower-thread-priority'
import { createTrainingApi } from './training-api'

enableRelaxedSimd()
lowerThreadPriority()
expose(createTrainingApi(), nodeEndpoint(parentPort!))
parentPort!.postMessage('ready')
