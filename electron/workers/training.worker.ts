import { parentPort } from 'node:worker_threads'
import { expose } from 'comlink'
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs'
import { createTrainingApi } from './training-api'

expose(createTrainingApi(), nodeEndpoint(parentPort!))
parentPort!.postMessage('ready')
