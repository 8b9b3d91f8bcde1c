import { ref, shallowRef } from 'vue'

export interface PathRequest {
  title: string
  hint: string
  initial: string
  confirm: string
}

/**
 * Web mode has no native file dialog: the UI asks for a path on the server machine instead.
 * `ask` resolves with the typed path, or null when cancelled.
 */
export function usePathPrompt() {
  const request = shallowRef<PathRequest | null>(null)
  const value = ref('')
  let settle: ((path: string | null) => void) | null = null

  const finish = (path: string | null) => {
    const done = settle
    settle = null
    request.value = null
    done?.(path)
  }

  return {
    request,
    value,
    ask(req: PathRequest): Promise<string | null> {
      finish(null)
      value.value = req.initial
      request.value = req
      return new Promise((resolve) => { settle = resolve })
    },
    submit() {
      const path = value.value.trim()
      if (path) finish(path)
    },
    cancel() { finish(null) },
  }
}

export type PathPrompt = ReturnType<typeof usePathPrompt>
