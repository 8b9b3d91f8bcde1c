import { beforeAll, describe, expect, it } from 'vitest'
import { loadDefaultDataset } from '../../../electron/services/dataset-loader'
import { runGradientCheck } from '../../../electron/workers/gradient-check-job'
import type { Dataset } from '../../../shared/data/dataset'
import { GRADIENT_BUGS } from '../../../shared/engine/gradient-bug'
import { BOOK_NETWORK } from '../../../shared/engine/network-config'
import { GRADCHECK_LISTED } from '../../../shared/training-events'
import { gradcheckVerdict } from '../../../renderer/src/lib/gradcheck-verdict'

let mnist: Dataset
beforeAll(async () => { mnist = await loadDefaultDataset() })

const check = (req: Partial<Parameters<typeof runGradientCheck>[1]> = {}) =>
  runGradientCheck(mnist, { network: BOOK_NETWORK, seed: 1, samples: 3, detail: true, ...req })

describe('runGradientCheck on MNIST (784-50-10, 3 images)', () => {
  it('passes without a bug and sends |Δ| per element, the worst elements and the image shape', () => {
    const r = check()
    expect(r.bug).toBeUndefined()
    expect(r.image).toEqual([28, 28])
    expect(r.params.map(gradcheckVerdict)).toEqual(['pass', 'pass', 'pass', 'pass'])
    for (const p of r.params) {
      expect(p.absDiff?.length, p.name).toBe(p.shape.reduce((a, b) => a * b, 1))
      expect(p.worst?.length, p.name).toBe(Math.min(GRADCHECK_LISTED, p.absDiff!.length))
      expect(p.worst![0].absDiff, p.name).toBe(p.maxAbs)
    }
  })

  it.each(GRADIENT_BUGS)('fails with %s injected', (bug) => {
    const r = check({ bug })
    expect(r.bug).toBe(bug)
    expect(r.params.map(gradcheckVerdict)).toContain('fail')
    expect(Math.max(...r.params.map((p) => p.maxRel))).toBeGreaterThan(0.5)
  })

  it('sends no per-element detail unless asked', () => {
    const r = runGradientCheck(mnist, { network: BOOK_NETWORK, seed: 1, samples: 3 })
    expect(r.image).toBeUndefined()
    for (const p of r.params) expect(p.absDiff ?? p.worst ?? null).toBeNull()
  })
})
