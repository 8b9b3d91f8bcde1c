import { zeros, type Matrix } from '../engine/matrix'
import type { Optimizer } from '../engine/optimizer'
import { BOWL_START, bowlGradient } from './bowl'

/** The positions visited: x[0], y[0] is the start, then one point per update. */
export interface OptimizerPath {
  x: number[]
  y: number[]
}

function scalar(v: number): Matrix {
  const m = zeros(1, 1)
  m.data[0] = v
  return m
}

/**
 * The book's optimizer_compare_naive.py: params = {x, y} as 1×1 matrices, grads = ∇f at the
 * current point, then `steps` calls of optimizer.update(params, grads) on f(x, y) = x²/20 + y².
 */
export function optimizerPath(optimizer: Pick<Optimizer, 'update'>, steps: number, start: { x: number; y: number } = BOWL_START): OptimizerPath {
  const params = { x: scalar(start.x), y: scalar(start.y) }
  const grads = { x: zeros(1, 1), y: zeros(1, 1) }
  const path: OptimizerPath = { x: [start.x], y: [start.y] }
  for (let i = 0; i < steps; i++) {
    const [gx, gy] = bowlGradient(params.x.data[0], params.y.data[0])
    grads.x.data[0] = gx
    grads.y.data[0] = gy
    optimizer.update(params, grads)
    path.x.push(params.x.data[0])
    path.y.push(params.y.data[0])
  }
  return path
}
