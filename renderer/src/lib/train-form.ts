import { ConfigError, type FieldError } from '../../../shared/schemas/config-error'
import { parseTrainConfig } from '../../../shared/schemas/parse-train-config'
import type { Activation, NetworkConfig } from '../../../shared/engine/network-config'
import type { OptimizerKind } from '../../../shared/engine/optimizer'
import { optimizerOf, type Sampling, type TrainConfig } from '../../../shared/engine/train-config'
import { t } from '../i18n'

/** The hyperparameter form as typed: text for numbers, so a half-typed value is kept as it is. */
export interface TrainForm {
  iters: string
  batchSize: string
  lr: string
  /** Hidden layer sizes, e.g. "50" or "100, 50"; empty for none. */
  hidden: string
  activation: Activation
  init: 'std' | 'xavier' | 'he'
  initStd: string
  seed: string
  evalEvery: string
  /** Evaluate on every image of each split, or on the first evalSamples. */
  evalAll: boolean
  evalSamples: string
  sampling: Sampling
  optimizer: OptimizerKind
  /** Momentum and Nesterov's momentum; Adam's β1 and β2 (shown for those optimisers only). */
  momentum: string
  beta1: string
  beta2: string
  weightDecay: string
  dropout: string
  batchnorm: boolean
}

export type FormField = keyof TrainForm | 'dataset'
export type FormErrors = Partial<Record<FormField, string>>

/** What the form needs from the dataset: the network's input and output sizes. */
export interface DatasetShape {
  inputSize: number
  classes: number
  trainCount: number
}

export function formFromConfig(c: TrainConfig): TrainForm {
  const init = c.network.weightInit
  const o = optimizerOf(c)
  return {
    iters: String(c.iters),
    batchSize: String(c.batchSize),
    lr: String(c.lr),
    hidden: c.network.hiddenSizes.join(', '),
    activation: c.network.activation,
    init: init.kind,
    initStd: init.kind === 'std' ? String(init.std) : '0.01',
    seed: String(c.seed),
    evalEvery: String(c.evalEvery),
    evalAll: c.evalSamples === 0,
    evalSamples: c.evalSamples === 0 ? '1000' : String(c.evalSamples),
    sampling: c.sampling,
    optimizer: o.kind,
    momentum: String((o.kind === 'momentum' || o.kind === 'nesterov' ? o.momentum : undefined) ?? 0.9),
    beta1: String((o.kind === 'adam' ? o.beta1 : undefined) ?? 0.9),
    beta2: String((o.kind === 'adam' ? o.beta2 : undefined) ?? 0.999),
    weightDecay: String(c.weightDecay ?? 0),
    dropout: String(c.dropout ?? 0),
    batchnorm: c.network.batchnorm ?? false,
  }
}

/** Which form field a config field path belongs to; the longest prefix wins. */
const FIELD_PATHS: [string, FormField][] = [
  ['network.weightInit.std', 'initStd'],
  ['network.weightInit', 'init'],
  ['network.hiddenSizes', 'hidden'],
  ['network.activation', 'activation'],
  ['network.batchnorm', 'batchnorm'],
  ['optimizer.momentum', 'momentum'],
  ['optimizer.beta1', 'beta1'],
  ['optimizer.beta2', 'beta2'],
  ['optimizer', 'optimizer'],
  ['weightDecay', 'weightDecay'],
  ['dropout', 'dropout'],
  ['network.inputSize', 'dataset'],
  ['network.outputSize', 'dataset'],
  ['network', 'dataset'],
  ['iters', 'iters'],
  ['batchSize', 'batchSize'],
  ['lr', 'lr'],
  ['seed', 'seed'],
  ['evalEvery', 'evalEvery'],
  ['evalSamples', 'evalSamples'],
  ['sampling', 'sampling'],
]

export function formFieldOf(path: string): FormField {
  for (const [prefix, field] of FIELD_PATHS) if (path === prefix || path.startsWith(prefix + '.') || path.startsWith(prefix + '[')) return field
  return 'dataset'
}

/**
 * The config the form describes, or the message for each field that is wrong. Text that is
 * not a number is reported here; every other rule is the config schema's, so the form
 * refuses exactly what the back end would.
 */
export function checkTrainForm(form: TrainForm, data: DatasetShape | null): { config: TrainConfig | null; errors: FormErrors } {
  const errors: FormErrors = {}
  const num = (field: FormField, text: string): number => {
    const typed = text.trim()
    if (typed === '') { errors[field] ??= t('validation.required'); return Number.NaN }
    const v = Number(typed)
    if (Number.isNaN(v)) errors[field] ??= t('validation.notNumber', { text: typed })
    return v
  }
  const hidden = parseHidden(form.hidden)
  if (typeof hidden === 'string') errors.hidden = hidden
  const network: NetworkConfig = {
    inputSize: data?.inputSize ?? Number.NaN,
    hiddenSizes: typeof hidden === 'string' ? [] : hidden,
    outputSize: data?.classes ?? Number.NaN,
    activation: form.activation,
    weightInit: form.init === 'std' ? { kind: 'std', std: num('initStd', form.initStd) } : { kind: form.init },
    batchnorm: form.batchnorm,
  }
  const k = form.optimizer
  const optimizer = k === 'momentum' || k === 'nesterov' ? { kind: k, momentum: num('momentum', form.momentum) }
    : k === 'adam' ? { kind: k, beta1: num('beta1', form.beta1), beta2: num('beta2', form.beta2) }
      : { kind: k }
  const candidate = {
    network,
    iters: num('iters', form.iters),
    batchSize: num('batchSize', form.batchSize),
    lr: num('lr', form.lr),
    seed: num('seed', form.seed),
    evalEvery: num('evalEvery', form.evalEvery),
    evalSamples: form.evalAll ? 0 : num('evalSamples', form.evalSamples),
    sampling: form.sampling,
    optimizer,
    weightDecay: num('weightDecay', form.weightDecay),
    dropout: num('dropout', form.dropout),
  }
  let config: TrainConfig | null = null
  try {
    config = parseTrainConfig(candidate)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    for (const e of error.errors) {
      const field = formFieldOf(e.field)
      const message = fieldMessage(e)
      if (field === 'hidden') errors.hidden ??= hiddenMessage(e.field, message)
      else errors[field] ??= message
    }
  }
  if (!data) errors.dataset = t('validation.noDataset')
  if (!form.evalAll && config && config.evalSamples === 0) errors.evalSamples = t('validation.evalAtLeastOne')
  if (data && config && config.batchSize > data.trainCount) errors.batchSize = t('validation.batchAtMost', { n: data.trainCount })
  return Object.keys(errors).length ? { config: null, errors } : { config, errors }
}

/** "100, 50" → [100, 50]; "" → []; a message for anything else. */
export function parseHidden(text: string): number[] | string {
  const parts = text.split(/[\s,]+/).filter(Boolean)
  const sizes: number[] = []
  for (const p of parts) {
    const v = Number(p)
    if (Number.isNaN(v)) return t('validation.notLayerSize', { text: p })
    sizes.push(v)
  }
  return sizes
}

/** A schema rule in the current language (rules.*), or the schema's own English when it names none. */
export function fieldMessage(e: FieldError): string {
  if (!e.rule) return e.message
  const rule = t(`rules.${e.rule.key}`, e.rule.params)
  return e.got === undefined ? rule : t('rules.got', { rule, got: e.got })
}

function hiddenMessage(path: string, message: string): string {
  const m = /\[(\d+)\]/.exec(path)
  return m ? t('validation.layerN', { n: Number(m[1]) + 1, message }) : message
}
