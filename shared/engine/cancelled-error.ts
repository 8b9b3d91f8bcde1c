/** A job gave up because it was asked to (a cancelled gradient check, an evaluation overtaken by a stop). */
export class CancelledError extends Error {
  override name = 'CancelledError'
}
