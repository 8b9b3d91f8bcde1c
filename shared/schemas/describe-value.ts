/**
 * A short rendering of a wrong value for an error message. Numbers and booleans are shown;
 * strings only when `echoStrings` (a value the user typed), never when they come from a file,
 * whose content must not reach a message.
 */
export function describeValue(value: unknown, echoStrings = true): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (typeof value === 'string') {
    if (!echoStrings) return 'a string'
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
  }
  if (typeof value === 'object') return 'an object'
  return typeof value
}
