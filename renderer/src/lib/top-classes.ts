export interface ClassProbability {
  cls: number
  p: number
}

/** The k most probable classes, most probable first; ties keep the lower class first. */
export function topClasses(probs: ArrayLike<number>, k: number): ClassProbability[] {
  const all: ClassProbability[] = []
  for (let c = 0; c < probs.length; c++) all.push({ cls: c, p: probs[c] })
  all.sort((a, b) => b.p - a.p || a.cls - b.cls)
  return all.slice(0, k)
}
