// The code of a worker thread started from TypeScript source (under tsx or vitest), run as eval'd
// text: Node 20 does not pass tsx's loader to workers through execArgv, so this registers it in
// the worker, then imports the worker's real entry, the last argument. Built workers never run it.
import('tsx/esm/api').then(({ register }) => {
  register()
  return import(process.argv[process.argv.length - 1])
})
