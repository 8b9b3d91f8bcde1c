import type { Rule } from './rules'

/** A config field and what is wrong with it, e.g. { field: 'lr', message: 'must be a number > 0 and ≤ 100, got 0' }. */
export interface FieldError {
  field: string
  message: string
  /** The rule broken and what was given, when a schema rule says it: for a UI in another language. */
  rule?: Rule
  got?: string
}

/** A training config (from a form, flags, IPC or a file) that breaks a rule; lists every field at fault. */
export class ConfigError extends Error {
  override name = 'ConfigError'
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; '))
  }
}
