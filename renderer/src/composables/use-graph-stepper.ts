import { computed, shallowRef, watch } from 'vue'
import { clone } from '../../../shared/engine/matrix'
import type { GraphExample, GraphExampleId, GraphValue } from '../../../shared/graph/graph-example'
import { GRAPH_EXAMPLES } from '../../../shared/graph/graph-examples'
import { stepCount, stepperView } from '../../../shared/graph/graph-stepper'

const initialInputs = (example: GraphExample): Record<string, GraphValue> =>
  Object.fromEntries(example.inputs.map((i) => [i.name, typeof i.initial === 'number' ? i.initial : clone(i.initial)]))

/**
 * One example of the Graph tab: its editable inputs, the trace they give (recomputed at once on
 * every edit) and how far the learner has stepped: forward node by node, then backward edge by edge.
 */
export function useGraphStepper(examples: readonly GraphExample[] = GRAPH_EXAMPLES) {
  const exampleId = shallowRef<GraphExampleId>(examples[0].id)
  const example = computed(() => examples.find((e) => e.id === exampleId.value) ?? examples[0])
  const inputs = shallowRef(initialInputs(example.value))
  const position = shallowRef(0)

  const trace = computed(() => example.value.run(inputs.value))
  const view = computed(() => stepperView(example.value, trace.value, position.value))
  const forwardDone = computed(() => position.value >= trace.value.forward.length)
  const canForward = computed(() => !forwardDone.value)
  const canBackward = computed(() => forwardDone.value && position.value < stepCount(trace.value))

  watch(example, (ex) => {
    inputs.value = initialInputs(ex)
    position.value = 0
  })

  function stepForward(): void {
    if (canForward.value) position.value++
  }
  function stepBackward(): void {
    if (canBackward.value) position.value++
  }
  function reset(): void {
    position.value = 0
  }
  /** A new value for a scalar input; the trace recomputes, the position stays. */
  function setScalar(name: string, value: number): void {
    if (Number.isFinite(value)) inputs.value = { ...inputs.value, [name]: value }
  }
  /** A new value for one cell of a matrix input. */
  function setCell(name: string, row: number, col: number, value: number): void {
    const m = inputs.value[name]
    if (typeof m === 'number' || !Number.isFinite(value)) return
    const next = clone(m)
    next.data[row * m.cols + col] = value
    inputs.value = { ...inputs.value, [name]: next }
  }
  function restoreInputs(): void {
    inputs.value = initialInputs(example.value)
  }

  return {
    exampleId, example, inputs, trace, view, canForward, canBackward,
    stepForward, stepBackward, reset, setScalar, setCell, restoreInputs,
  }
}

export type GraphStepper = ReturnType<typeof useGraphStepper>
