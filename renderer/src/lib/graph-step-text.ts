import { formatGraphValue } from '../../../shared/graph/format-graph-value'
import type { BackwardStep, ForwardStep, GraphExample, GraphTrace, GraphValue } from '../../../shared/graph/graph-example'
import type { CurrentStep } from '../../../shared/graph/graph-stepper'
import { withNumbers } from './graph-expression'
import { t } from '../i18n'

/** One step as the panel prints it: equations, the matrices involved, and per-element lines. */
export interface StepText {
  heading: string
  lines: string[]
  matrices: { label: string; value: GraphValue }[]
  detail: string[]
}

const fmt = formatGraphValue
const isScalar = (v: GraphValue | null): v is number => typeof v === 'number'
const shapes = (s: string | undefined) => (s ? `   ${s}` : '')
const d = (target: string, node: string) => `∂${target}/∂${node}`
/** The book's words for the two factors of a backward step: the upstream gradient and the local derivative. */
const up = () => t('graphText.upstream')
const loc = () => t('graphText.local')
const shapesLine = (s: string) => t('graphText.shapes', { shapes: s })

function forwardText(step: ForwardStep, trace: GraphTrace): StepText {
  const heading = `${step.node} = ${step.formula}`
  if (isScalar(step.value) && step.shapes === undefined) {
    const numbers = withNumbers(step.formula, trace.values)
    return { heading, lines: [`${step.node} = ${step.formula} = ${numbers} = ${fmt(step.value)}`], matrices: [], detail: [] }
  }
  return {
    heading,
    lines: step.shapes ? [shapesLine(step.shapes)] : [],
    matrices: [{ label: step.node, value: step.value }],
    detail: [],
  }
}

function backwardText(step: BackwardStep, example: GraphExample, trace: GraphTrace): StepText {
  const T = example.target
  const heading = `${d(T, step.to)} = ${d(T, step.from)} · ${d(step.from, step.to)}`
  const sum = step.terms.length > 1
    ? [t('graphText.sum', { grad: d(T, step.to), node: step.to, terms: step.terms.map(fmt).join(' + '), total: fmt(step.total) })]
    : []
  if (isScalar(step.upstream) && isScalar(step.local) && isScalar(step.product)) {
    const numbers = withNumbers(step.rule, trace.values)
    const local = numbers === step.rule ? step.rule : `${step.rule} = ${numbers}`
    return {
      heading,
      lines: [
        `${up()} ${d(T, step.from)} = ${fmt(step.upstream)}`,
        `${loc()} ${d(step.from, step.to)} = ${local}${local.endsWith(fmt(step.local)) ? '' : ` = ${fmt(step.local)}`}`,
        `${up()} × ${loc()} = ${fmt(step.upstream)} × ${fmt(step.local)} = ${fmt(step.product)}`,
        ...sum,
      ],
      matrices: [],
      detail: [],
    }
  }
  const matrices = [{ label: `${up()} ${d(T, step.from)}`, value: step.upstream }]
  if (step.local !== null) matrices.push({ label: `${loc()} ${d(step.from, step.to)}`, value: step.local })
  matrices.push({ label: `${d(T, step.to)} = ${step.rule}`, value: step.product })
  return {
    heading: `${d(T, step.to)} = ${step.rule}`,
    lines: step.shapes ? [shapesLine(step.shapes), ...sum] : sum,
    matrices,
    detail: step.detail ?? [],
  }
}

export function stepText(current: CurrentStep, example: GraphExample, trace: GraphTrace): StepText {
  return current.kind === 'forward' ? forwardText(current.step, trace) : backwardText(current.step, example, trace)
}

/** A one-line summary for the list of steps taken. */
export function stepSummary(current: CurrentStep, example: GraphExample): string {
  if (current.kind === 'forward') {
    const s = current.step
    return `${s.node} = ${s.formula}${isScalar(s.value) ? ` = ${fmt(s.value)}` : ''}${shapes(s.shapes)}`
  }
  const s = current.step
  const value = isScalar(s.product) ? ` = ${fmt(s.upstream)} × ${fmt(s.local ?? NaN)} = ${fmt(s.product)}` : ` = ${s.rule}`
  return `${d(example.target, s.to)} ${t('graphText.from', { node: s.from })}${value}${shapes(s.shapes)}`
}
