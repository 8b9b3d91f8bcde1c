import type { BackpropApi } from '../../../shared/ipc'

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a plain browser (web mode). */
    api?: BackpropApi
  }
}

export {}
