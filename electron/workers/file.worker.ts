import { parentPort } from 'node:worker_threads'
import { expose } from 'comlink'
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs'
import { createFileApi } from './file-api'

expose(createFileApi(), nodeEndpoint(parentPort!))
parentPort!.postMessage('ready')
