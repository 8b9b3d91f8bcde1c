import type { SweepSpace, SweepSpec } from '../../../shared/ipc'
import type { TrainConfig } from '../../../shared/engine/train-config'
import { t } from '../i18n'

/** What the sweep form holds: lists typed as text, e.g. lr "0.01, 0.1, 1", hidden "50 / 100,50". */
export interface SweepFormValues {
  mode: 'grid' | 'random'
  trials: number
  iters: number
  lr: string
  batch: string
  hidden: string
  optimizer: string
  init: string
  weightDecay: string
  dropout: string
}

export const SWEEP_FORM_DEFAULTS: SweepFormValues = {
  mode: 'grid', trials: 4, iters: 1000, lr: '0.01, 0.1', batch: '', hidden: '', optimizer: 'sgd, adam', init: '', weightDecay: '', dropout: '',
}

const items = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean)

type ListField = 'lr' | 'batch' | 'hidden' | 'weightDecay' | 'dropout'

function numbers(s: string, field: ListField): number[] {
  return items(s).map((x) => {
    const n = Number(x)
    if (!Number.isFinite(n)) throw new Error(t('sweep.notNumber', { field: t(`sweep.fieldName.${field}`), value: x }))
    return n
  })
}

/** The form as a spec for startSweep (the back end checks every limit); throws naming the field on text that is not a list. */
export function sweepSpecFromForm(v: SweepFormValues, base: TrainConfig): SweepSpec {
  const space: SweepSpace = {
    lr: numbers(v.lr, 'lr'),
    batchSize: numbers(v.batch, 'batch'),
    hiddenSizes: v.hidden.split('/').map((x) => x.trim()).filter(Boolean).map((alt) => (alt === 'none' ? [] : numbers(alt, 'hidden'))),
    optimizer: items(v.optimizer) as NonNullable<SweepSpace['optimizer']>,
    weightInit: items(v.init) as NonNullable<SweepSpace['weightInit']>,
    weightDecay: numbers(v.weightDecay, 'weightDecay'),
    dropout: numbers(v.dropout, 'dropout'),
  }
  return { mode: v.mode, trials: v.trials, iters: v.iters, seed: base.seed, base, space }
}
