import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { compileKernels } from '../../scripts/build-wasm'

describe('build-wasm', () => {
  it('matches the committed binary to a fresh compile of wasm-kernels.wat', async () => {
    const committed = await readFile(new URL('../../shared/engine/wasm-kernels-binary.ts', import.meta.url), 'utf8')
    expect(committed).toBe(await compileKernels())
  })
})
