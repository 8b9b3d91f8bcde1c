import { z } from 'zod'

// The renderer's CSP has no 'unsafe-eval': zod must not compile validators with new Function.
z.config({ jitless: true })

/** A safe integer in [min, max], worded as one rule whatever part of it fails. */
export function wholeNumber(min: number, max: number) {
  const error = `must be a whole number from ${min} to ${max}`
  return z.int({ error }).min(min, { error }).max(max, { error })
}

/** A finite number in (0, max]. */
export function positiveNumber(max: number) {
  const error = `must be a number > 0 and ≤ ${max}`
  return z.number({ error }).positive({ error }).max(max, { error })
}

/** One of a few literal strings. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `must be ${values.map((v) => JSON.stringify(v)).join(' or ')}` })
}

/** A finite number in [min, max). */
export function numberBelow(min: number, max: number) {
  const error = `must be a number ≥ ${min} and < ${max}`
  return z.number({ error }).min(min, { error }).lt(max, { error })
}

/** A finite number in [min, max]. */
export function numberFrom(min: number, max: number) {
  const error = `must be a number from ${min} to ${max}`
  return z.number({ error }).min(min, { error }).max(max, { error })
}
