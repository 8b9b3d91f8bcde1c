import { onScopeDispose, ref, type Ref } from 'vue'
import type { ColorScheme } from '../lib/palette'

/** The OS colour scheme, following changes while the app runs. */
export function useColorScheme(): Ref<ColorScheme> {
  const query = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null
  const scheme = ref<ColorScheme>(query?.matches ? 'dark' : 'light')
  if (query) {
    const onChange = (e: MediaQueryListEvent) => { scheme.value = e.matches ? 'dark' : 'light' }
    query.addEventListener('change', onChange)
    onScopeDispose(() => query.removeEventListener('change', onChange))
  }
  return scheme
}
