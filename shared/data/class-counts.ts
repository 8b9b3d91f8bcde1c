/**
 * Labels per class. A dataset has max training label + 1 classes, so that output k of a network
 * always means label k; a label set with gaps (one corrupted label 42 among digits 0–9) therefore
 * gives outputs no training image ever names. Those empty classes are reported, never hidden.
 */

/** counts[k] = how many of `labels` equal k, for k < classes (labels ≥ classes are not counted). */
export function classCounts(labels: Uint8Array, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0)
  for (let i = 0; i < labels.length; i++) if (labels[i] < classes) counts[labels[i]]++
  return counts
}

/** The classes with no image in `counts`, ascending. */
export function emptyClasses(counts: readonly number[]): number[] {
  const empty: number[] = []
  counts.forEach((n, k) => { if (n === 0) empty.push(k) })
  return empty
}

/** Ascending class numbers as runs: [3, 10, 11, 12] → "3, 10–12". */
export function formatClassList(classes: readonly number[]): string {
  const runs: string[] = []
  for (let i = 0; i < classes.length;) {
    let j = i
    while (j + 1 < classes.length && classes[j + 1] === classes[j] + 1) j++
    runs.push(j === i ? `${classes[i]}` : j === i + 1 ? `${classes[i]}, ${classes[j]}` : `${classes[i]}–${classes[j]}`)
    i = j + 1
  }
  return runs.join(', ')
}

/** One sentence naming the empty classes, or null when every class has a training image. */
export function emptyClassesWarning(empty: readonly number[], classes: number): string | null {
  if (empty.length === 0) return null
  const which = empty.length === 1 ? `class ${empty[0]} has` : `${empty.length} classes have`
  const list = empty.length === 1 ? '' : ` (${formatClassList(empty)})`
  return `${which} no training images${list}: there are ${classes} classes because the largest training label is ` +
    `${classes - 1}, and a network cannot learn a class it never sees`
}
