import { ConfigError, type FieldError } from '../schemas/config-error'

/** A config whose parameters and buffers would not fit a worker's memory budget; names the field to change. */
export class MemoryBudgetError extends ConfigError {
  override name = 'MemoryBudgetError'
  constructor(error: FieldError) {
    super([error])
  }
}
