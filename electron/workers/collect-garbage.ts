import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

let gc: (() => void) | null = null

/**
 * A full garbage collection of this thread's heap, now. V8 does not count a shared WebAssembly
 * memory toward the pressure that triggers a collection, so the layers of a finished two-core run
 * (their memories are shared with the kernel helper) would stay resident until some unrelated
 * collection; this frees them at a point of our choosing. gc is exposed to a fresh context only,
 * which is where --expose-gc set at run time takes effect.
 */
export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc')
    gc = runInNewContext('gc') as () => void
  }
  gc()
}
