import { formatGraphValue } from '../../../shared/graph/format-graph-value'
import type { GraphValue } from '../../../shared/graph/graph-example'

/**
 * A formula over node names with each scalar name replaced by its value:
 * "apple_price × tax" → "200 × 1.1", "b × a" → "2 × (-1)". Longer names go first, so apple_num is not read as apple.
 * Matrices keep their names: their numbers are shown beside.
 */
export function withNumbers(formula: string, values: Readonly<Record<string, GraphValue>>): string {
  const names = Object.keys(values).filter((n) => typeof values[n] === 'number').sort((a, b) => b.length - a.length)
  if (!names.length) return formula
  const pattern = new RegExp(`(?<![\\w])(${names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?![\\w])`, 'g')
  return formula.replace(pattern, (name: string, _group: string, at: number) => {
    const text = formatGraphValue(values[name])
    const bracketed = formula[at - 1] === '(' && formula[at + name.length] === ')'
    return text.startsWith('-') && !bracketed ? `(${text})` : text
  })
}
