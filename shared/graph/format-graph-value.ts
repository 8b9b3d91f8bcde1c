import type { GraphValue } from './graph-example'

/**
 * A number as a learner reads it: six significant digits, so float noise goes
 * (1.1 · 2 = 2.2000000000000002 → "2.2"), and an ASCII minus, so the text parses back.
 */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return 'NaN'
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity'
  const rounded = Number(x.toPrecision(6))
  return String(Object.is(rounded, -0) ? 0 : rounded)
}

/** A scalar as a number; a matrix one row per line, entries separated by spaces. */
export function formatGraphValue(v: GraphValue): string {
  if (typeof v === 'number') return formatNumber(v)
  const rows: string[] = []
  for (let i = 0; i < v.rows; i++) {
    rows.push(Array.from(v.data.subarray(i * v.cols, (i + 1) * v.cols), formatNumber).join(' '))
  }
  return rows.join('\n')
}
