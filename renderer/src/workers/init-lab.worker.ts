import { expose } from 'comlink'
import { activationHistograms } from '../../../shared/lab/activation-histograms'

/** The initialisation lab's 5 × 10⁷ multiply-adds, off the UI thread. */
export const initLabApi = { activationHistograms }
export type InitLabApi = typeof initLabApi

expose(initLabApi)
