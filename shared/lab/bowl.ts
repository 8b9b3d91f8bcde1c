/**
 * The book's test function for optimisers (section 6.1.3): f(x, y) = x²/20 + y², a bowl 20 times
 * flatter along x than along y, so the gradient points mostly across the valley, not down it.
 */
export function bowl(x: number, y: number): number {
  return (x * x) / 20 + y * y
}

/** ∇f = (x/10, 2y), the book's df(x, y). */
export function bowlGradient(x: number, y: number): [number, number] {
  return [x / 10, 2 * y]
}

/** Where every path starts, as in the book's figure. */
export const BOWL_START = { x: -7, y: 2 } as const

/**
 * The contour f = level: the ellipse x = √(20·level)·cos θ, y = √level·sin θ, as `points` + 1
 * (x, y) pairs, the first repeated at the end so a line through them closes.
 */
export function bowlContour(level: number, points = 120): [number, number][] {
  const a = Math.sqrt(20 * level), b = Math.sqrt(level)
  const out: [number, number][] = []
  for (let i = 0; i <= points; i++) {
    const t = (2 * Math.PI * (i % points)) / points
    out.push([a * Math.cos(t), b * Math.sin(t)])
  }
  return out
}
