import { z } from 'zod'

// The renderer's CSP has no 'unsafe-eval': zod must not compile validators with new Function.
z.config({ jitless: true })

/** Which rule a message states, with its bounds, so a UI can say it in its own language. */
export interface Rule {
  key: 'wholeNumber' | 'positiveNumber' | 'oneOf' | 'numberBelow' | 'numberFrom' | 'layerList'
  params: Record<string, string | number>
}

const rules = new Map<string, Rule>()

/** The English message of a rule, remembered so that ruleOf can tell the rule from it. */
export function ruleMessage(key: Rule['key'], params: Rule['params'], text: string): string {
  rules.set(text, { key, params })
  return text
}

/** The rule an issue's message states, if one of these helpers worded it. */
export function ruleOf(message: string): Rule | undefined {
  return rules.get(message)
}

/** A safe integer in [min, max], worded as one rule whatever part of it fails. */
export function wholeNumber(min: number, max: number) {
  const error = ruleMessage('wholeNumber', { min, max }, `must be a whole number from ${min} to ${max}`)
  return z.int({ error }).min(min, { error }).max(max, { error })
}

/** A finite number in (0, max]. */
export function positiveNumber(max: number) {
  const error = ruleMessage('positiveNumber', { max }, `must be a number > 0 and ≤ ${max}`)
  return z.number({ error }).positive({ error }).max(max, { error })
}

/** One of a few literal strings. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  const list = values.map((v) => JSON.stringify(v)).join(' or ')
  return z.enum(values, { error: ruleMessage('oneOf', { values: list }, `must be ${list}`) })
}

/** A finite number in [min, max). */
export function numberBelow(min: number, max: number) {
  const error = ruleMessage('numberBelow', { min, max }, `must be a number ≥ ${min} and < ${max}`)
  return z.number({ error }).min(min, { error }).lt(max, { error })
}

/** A finite number in [min, max]. */
export function numberFrom(min: number, max: number) {
  const error = ruleMessage('numberFrom', { min, max }, `must be a number from ${min} to ${max}`)
  return z.number({ error }).min(min, { error }).max(max, { error })
}
