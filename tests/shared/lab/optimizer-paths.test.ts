import { describe, expect, it } from 'vitest'
import { Adam } from '../../../shared/engine/adam'
import { Momentum } from '../../../shared/engine/momentum'
import { OPTIMIZER_KINDS } from '../../../shared/engine/optimizer'
import { Sgd } from '../../../shared/engine/sgd'
import { bowl, bowlContour, bowlGradient, BOWL_START } from '../../../shared/lab/bowl'
import { BOOK_FIGURE, figurePaths } from '../../../shared/lab/optimizer-figure'
import { optimizerPath } from '../../../shared/lab/optimizer-paths'

describe('the bowl f(x, y) = x²/20 + y²', () => {
  it('has the gradient (x/10, 2y), by central differences', () => {
    const h = 1e-5
    for (const [x, y] of [[-7, 2], [3.5, -0.25], [0.1, 4]]) {
      const [gx, gy] = bowlGradient(x, y)
      expect(gx).toBeCloseTo((bowl(x + h, y) - bowl(x - h, y)) / (2 * h), 8)
      expect(gy).toBeCloseTo((bowl(x, y + h) - bowl(x, y - h)) / (2 * h), 8)
    }
  })

  it('draws each contour as a closed ellipse on which f equals the level', () => {
    const ring = bowlContour(3, 40)
    expect(ring).toHaveLength(41)
    expect(ring[40]).toEqual(ring[0])
    for (const [x, y] of ring) expect(bowl(x, y)).toBeCloseTo(3, 12)
    expect(Math.max(...ring.map(([x]) => x))).toBeCloseTo(Math.sqrt(60), 12)
  })
})

describe('optimizerPath', () => {
  it('follows SGD\'s closed form from (−7, 2): x_t = −7(1 − lr/10)^t, y_t = 2(1 − 2·lr)^t', () => {
    const lr = 0.95
    const path = optimizerPath(new Sgd(lr), 30)
    expect(path.x).toHaveLength(31)
    expect([path.x[0], path.y[0]]).toEqual([BOWL_START.x, BOWL_START.y])
    for (let t = 0; t <= 30; t++) {
      expect(path.x[t]).toBeCloseTo(-7 * (1 - lr / 10) ** t, 12)
      expect(path.y[t]).toBeCloseTo(2 * (1 - 2 * lr) ** t, 12)
    }
  })

  it('gives Momentum\'s first two steps as computed by hand', () => {
    // v = −lr·g: (0.07, −0.4) → (−6.93, 1.6); then v = 0.9·v − lr·g = (0.1323, −0.68) → (−6.7977, 0.92)
    const path = optimizerPath(new Momentum(0.1), 2)
    expect(path.x[1]).toBeCloseTo(-6.93, 12)
    expect(path.y[1]).toBeCloseTo(1.6, 12)
    expect(path.x[2]).toBeCloseTo(-6.7977, 12)
    expect(path.y[2]).toBeCloseTo(0.92, 12)
  })

  it('moves Adam by lr per coordinate at first, up to ε, whatever the gradient\'s size', () => {
    // t = 1: m = 0.1·g, v = 0.001·g², lr_t = lr·√0.001/0.1, so the step is lr / (1 + ε/(√0.001·|g|))
    const path = optimizerPath(new Adam(0.3), 1)
    const step = (g: number) => 0.3 / (1 + 1e-7 / (Math.sqrt(0.001) * Math.abs(g)))
    expect(path.x[1] - path.x[0]).toBeCloseTo(step(-0.7), 12)
    expect(path.y[1] - path.y[0]).toBeCloseTo(-step(4), 12)
  })
})

describe('figurePaths', () => {
  it('draws the shown optimisers in the engine\'s order, steps + 1 points each', () => {
    const paths = figurePaths({ ...BOOK_FIGURE, shown: ['adam', 'sgd', 'rmsprop'] })
    expect(paths.map((p) => p.kind)).toEqual(['sgd', 'rmsprop', 'adam'])
    for (const { path } of paths) expect(path.x).toHaveLength(BOOK_FIGURE.steps + 1)
  })

  it('brings every optimiser from f = 6.45 to below 0.5 in the book\'s 30 steps at its default lr', () => {
    const paths = figurePaths({ ...BOOK_FIGURE, shown: [...OPTIMIZER_KINDS] })
    expect(paths).toHaveLength(6)
    for (const { path } of paths) expect(bowl(path.x[30], path.y[30])).toBeLessThan(0.5)
  })

  it('lets SGD diverge along y once lr > 1, since |1 − 2·lr| > 1', () => {
    const [sgd] = figurePaths({ ...BOOK_FIGURE, lr: { ...BOOK_FIGURE.lr, sgd: 1.2 }, shown: ['sgd'] }).map((p) => p.path)
    expect(Math.abs(sgd.y[30])).toBeGreaterThan(2 * 1.4 ** 29)
  })
})
