/**
 * Keys that turn into a prototype once a parsed object is spread, merged or assigned.
 * JSON.parse keeps "__proto__" as an ordinary own property, so parsed input is checked for them.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype'])
