import type { TrainConfig } from '../engine/train-config'
import { ConfigError } from './config-error'
import { formatIssue } from './format-issue'
import { trainConfigSchema } from './train-config-schema'

/** A TrainConfig from untrusted input (a form, flags), or a ConfigError naming every field at fault. */
export function parseTrainConfig(input: unknown): TrainConfig {
  const r = trainConfigSchema.safeParse(input, { reportInput: true })
  if (!r.success) throw new ConfigError(r.error.issues.map((i) => formatIssue(i)))
  return r.data
}
