/**
 * The bugs of "Break it" live in shared/engine/buggy-gradient.ts. These tests prove that training
 * and evaluation cannot reach them: statically, by the import graph of every source file and the
 * call sites in the training API; at run time, by showing that a bug slipped into a Trainer's
 * options, a worker's train request or a back-end request changes nothing or is refused.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import ts from 'typescript'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadDefaultDataset } from '../../../electron/services/dataset-loader'
import { createTrainingApi } from '../../../electron/workers/training-api'
import type { Dataset } from '../../../shared/data/dataset'
import { gradientCheck } from '../../../shared/engine/gradient-check'
import { BOOK_TRAINING, type TrainConfig } from '../../../shared/engine/train-config'
import { Trainer, type TrainerOptions } from '../../../shared/engine/trainer'
import { IPC_SCHEMAS } from '../../../shared/ipc-schemas'
import { CONTROL } from '../../../shared/training-events'
import { fillBatch } from '../../../shared/data/fill-batch'
import { zeros } from '../../../shared/engine/matrix'

const ROOT = resolve(import.meta.dirname, '../../..')
const SOURCES = ['shared', 'electron', 'cli', 'bench', 'renderer/src', 'scripts']
const BUGGY = 'shared/engine/buggy-gradient.ts'
const JOB = 'electron/workers/gradient-check-job.ts'
const API = 'electron/workers/training-api.ts'

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|vue)$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)))
}

function scriptOf(file: string): string {
  const text = readFileSync(join(ROOT, file), 'utf8')
  if (!file.endsWith('.vue')) return text
  return [...text.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n')
}

/** The modules a file loads at run time: `import type` and all-type named imports are erased. */
function runtimeImports(file: string): string[] {
  const sf = ts.createSourceFile(file, scriptOf(file), ts.ScriptTarget.Latest, true)
  const specs: string[] = []
  sf.forEachChild((node) => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause
      const typeOnly = clause && (clause.isTypeOnly || (!clause.name && clause.namedBindings && ts.isNamedImports(clause.namedBindings)
        && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly)))
      if (!typeOnly) specs.push((node.moduleSpecifier as ts.StringLiteral).text)
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly) {
      specs.push((node.moduleSpecifier as ts.StringLiteral).text)
    }
  })
  const known = new Set(files)
  return specs.filter((s) => s.startsWith('.')).map((s) => {
    const base = relative(ROOT, resolve(ROOT, dirname(file), s))
    return [base, `${base}.ts`, `${base}/index.ts`].find((f) => known.has(f)) ?? base
  })
}

const files = SOURCES.flatMap(sourceFiles)
const graph = new Map(files.map((f) => [f, runtimeImports(f)]))

function reaches(from: string, target: string): boolean {
  const seen = new Set<string>(), stack = [from]
  while (stack.length) {
    const f = stack.pop()!
    if (f === target) return true
    if (seen.has(f)) continue
    seen.add(f)
    stack.push(...(graph.get(f) ?? []))
  }
  return false
}
const importersOf = (target: string) => files.filter((f) => graph.get(f)!.includes(target))

describe('the injected gradient bugs, statically', () => {
  it('the import graph covers the sources and resolves the known edges', () => {
    expect(files.length).toBeGreaterThan(100)
    expect(graph.get(JOB)).toContain(BUGGY)
    expect(graph.get('shared/engine/trainer.ts')).toContain('shared/engine/multi-layer-net.ts')
  })

  it('only the gradient-check job imports buggy-gradient, and only the training API imports the job', () => {
    expect(importersOf(BUGGY)).toEqual([JOB])
    expect(importersOf(JOB)).toEqual([API])
  })

  it('the Trainer, the network, its layers, the services and the CLI cannot load buggy-gradient', () => {
    const reachers = files.filter((f) => f !== BUGGY && reaches(f, BUGGY)).sort()
    // the training worker's entry loads the API, which also serves gradient checks
    expect(reachers).toEqual([JOB, API, 'electron/workers/training.worker.ts'].sort())
    for (const f of ['shared/engine/trainer.ts', 'shared/engine/multi-layer-net.ts', 'shared/engine/gradient-check.ts', 'electron/services/training-service.ts']) {
      expect(reaches(f, BUGGY), f).toBe(false)
    }
  })

  it('in the training API, only the gradientCheck method calls the job', () => {
    const sf = ts.createSourceFile(API, readFileSync(join(ROOT, API), 'utf8'), ts.ScriptTarget.Latest, true)
    const owners: string[] = []
    const visit = (node: ts.Node) => {
      if (ts.isIdentifier(node) && node.text === 'runGradientCheck' && !ts.isImportSpecifier(node.parent)) {
        let p: ts.Node = node.parent
        while (!(ts.isMethodDeclaration(p) || ts.isPropertyAssignment(p)) && p.parent) p = p.parent
        owners.push(ts.isMethodDeclaration(p) || ts.isPropertyAssignment(p) ? p.name.getText(sf) : '(top level)')
      }
      node.forEachChild(visit)
    }
    visit(sf)
    expect(owners).toEqual(['gradientCheck'])
  })
})

describe('the injected gradient bugs, at run time', () => {
  let mnist: Dataset
  beforeAll(async () => { mnist = await loadDefaultDataset() })
  const config: TrainConfig = { ...BOOK_TRAINING, network: { ...BOOK_TRAINING.network, hiddenSizes: [10] }, iters: 20, batchSize: 10, evalEvery: 1000, evalSamples: 100 }
  const bug = 'relu-no-mask'

  it('a Trainer given a bug in its options trains exactly as without, and its backprop passes the check', () => {
    const plain = new Trainer(config, mnist)
    const slipped = new Trainer(config, mnist, undefined, { bug } as TrainerOptions)
    for (let i = 0; i < config.iters; i++) expect(slipped.step()).toBe(plain.step())
    expect(slipped.net.exportParams()).toEqual(plain.net.exportParams())
    const x = zeros(3, 784), t = new Int32Array(3)
    fillBatch(mnist.train, null, 0, x, t)
    // relu-no-mask would put mean |Δ| of W1 near 1e-4 and its max relative error near 1
    for (const r of gradientCheck(slipped.net, x, t)) {
      expect(r.meanAbs, r.name).toBeLessThan(1e-9)
      expect(r.maxRel, r.name).toBeLessThan(1e-4)
    }
  })

  it('a training worker given a bug in its request trains and evaluates exactly as without', async () => {
    const api = createTrainingApi()
    api.setDataset(mnist)
    const control = () => new Int32Array(new SharedArrayBuffer(CONTROL.LENGTH * 4))
    const plain = await api.train({ config }, control(), () => undefined)
    const slipped = await api.train({ config, bug } as Parameters<typeof api.train>[0], control(), () => undefined)
    expect(slipped.params).toEqual(plain.params)
    expect(slipped.summary).toEqual(plain.summary)
    const evaluate = (req: object) => api.evaluate({ network: config.network, params: plain.params, evalSamples: 200, ...req })
    expect(evaluate({ bug })).toEqual(evaluate({}))
  })

  it('the back end refuses a bug anywhere but in a gradient-check request', () => {
    expect(IPC_SCHEMAS.startTraining.safeParse({ config: { ...config, bug }, resume: false }).success).toBe(false)
    expect(IPC_SCHEMAS.startTraining.safeParse({ config, resume: false, bug }).success).toBe(false)
    expect(IPC_SCHEMAS.evaluateModel.safeParse({ evalSamples: 0, bug }).success).toBe(false)
    expect(IPC_SCHEMAS.startTraining.safeParse({ config, resume: false }).success).toBe(true)
    const check = { network: config.network, seed: 1, samples: 3, useCurrentModel: false }
    expect(IPC_SCHEMAS.gradientCheck.safeParse({ ...check, bug }).success).toBe(true)
    expect(IPC_SCHEMAS.gradientCheck.safeParse({ ...check, bug: 'no-such-bug' }).success).toBe(false)
  })
})
