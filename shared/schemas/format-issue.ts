import type { z } from 'zod'
import { describeValue } from './describe-value'
import type { FieldError } from './config-error'
import { ruleOf } from './rules'

/** `config.network.hiddenSizes[0]` from zod's path. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else out += out ? `.${String(key)}` : String(key)
  }
  return out
}

/**
 * One zod issue as a field and a sentence. The schemas word their own rules ("must be a whole
 * number from 1 to 60000"); this adds what was given. Parse with `reportInput: true` so the
 * input is there; `echoStrings` is false for files, whose text must never reach a message.
 */
export function formatIssue(issue: z.core.$ZodIssue, echoStrings = true): FieldError {
  const field = formatPath(issue.path)
  // a custom issue words its whole message itself, the value included
  const got = 'input' in issue && issue.code !== 'custom' ? `, got ${describeValue(issue.input, echoStrings)}` : ''
  switch (issue.code) {
    case 'unrecognized_keys': {
      const shown = issue.keys.slice(0, 3).map((k) => (/^[\w$-]{1,40}$/.test(k) ? JSON.stringify(k) : 'a key')).join(', ')
      const more = issue.keys.length > 3 ? ` and ${issue.keys.length - 3} more` : ''
      return { field, message: `unknown ${issue.keys.length > 1 ? 'fields' : 'field'} ${shown}${more}` }
    }
    case 'invalid_union':
      return { field, message: `${issue.message}${got}` }
    default: {
      const rule = ruleOf(issue.message)
      const message = issue.message.startsWith('Invalid') || issue.message.startsWith('Too') ? `${plain(issue)}${got}` : `${issue.message}${got}`
      return rule ? { field, message, rule, got: got.slice(', got '.length) || undefined } : { field, message }
    }
  }
}

/** zod's own wording for the rules a schema did not word itself. */
function plain(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`
    case 'invalid_value':
      return `must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`
    case 'too_big':
    case 'too_small': {
      const bound = issue.code === 'too_big' ? issue.maximum : issue.minimum
      const cmp = issue.code === 'too_big' ? (issue.inclusive ? '≤' : '<') : (issue.inclusive ? '≥' : '>')
      const what = issue.origin === 'string' ? 'length' : issue.origin === 'array' ? 'item count' : 'value'
      return `${what} must be ${cmp} ${String(bound)}`
    }
    default:
      return issue.message
  }
}
