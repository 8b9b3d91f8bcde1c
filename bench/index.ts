/**
 * npm run bench [-- --quick] [--json] [--workers N] [--no-numpy] [--no-compare]
 *
 * The book's workload through the same path the app uses (Backend → worker pool → worker),
 * the memo's numpy code and NumPy written well (numpy_lean.py) side by side, the gradient check,
 * the main process's API latency while training runs flat out, evaluation throughput, and a grid
 * of network and batch sizes run beside NumPy written well: each cell ours and NumPy's back to
 * back, three rounds (one with --quick).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { Backend } from '../electron/services/backend'
import { defaultDatasetDir } from '../electron/services/dataset-loader'
import { createDispatcher } from '../electron/services/dispatcher'
import { BOOK_NETWORK } from '../shared/engine/network-config'
import { BOOK_TRAINING, type TrainConfig } from '../shared/engine/train-config'
import { percentile, probeLatency } from './latency-probe'
import { runNumpyLean, type NumpyLeanResult } from './numpy-lean'
import { startNumpyLeanCells } from './numpy-lean-cells'
import { runNumpyReference, type NumpyResult } from './numpy-reference'
import { watchPeakRss } from './process-tree-rss'

const args = process.argv.slice(2)
const quick = args.includes('--quick')
const json = args.includes('--json')
const workersArg = args.indexOf('--workers')
const workers = workersArg >= 0 ? Number(args[workersArg + 1]) : Math.min(2, availableParallelism())
const log = (s: string) => { if (!json) process.stderr.write(`${s}\n`) }

/** The grid the issue sets: (hidden sizes, batch), each run beside NumPy written well. */
const GRID: readonly (readonly [readonly number[], number])[] = [
  ...[50, 100, 200, 500, 1000].map((h) => [[h], 100] as const),
  [[50], 32], [[50], 256],
  [[100, 50], 100], [[256, 128, 64], 100],
]

/** Iterations a grid cell runs before it is timed, as numpy_lean.py does. */
const CELL_WARMUP = 20
/**
 * Times each grid cell is run, ours and NumPy's back to back, alternating who goes first; each
 * reports its median, and the ratio is the median of the pairs' ratios.
 */
const GRID_ROUNDS = 3

/** Multiply-adds of one dense forward pass: picks the grid's largest cell. */
function cellMacs([hidden, batch]: readonly [readonly number[], number]): number {
  const sizes = [784, ...hidden, 10]
  return batch * sizes.slice(1).reduce((s, n, i) => s + n * sizes[i], 0)
}

interface ScalingEntry {
  /** The first hidden size (the field predates deeper cells). */
  hidden: number
  hiddenSizes: number[]
  batch: number
  /** Steady-state milliseconds per iteration, after the warm-up. */
  msPerIter: number
  /** Iterations timed: those after the warm-up. */
  timedIters: number
  /** What the run's warm-up took beyond as many steady iterations: its start-up cost. */
  startupMs: number
  samplesPerSecond: number
  numpyMsPerIter: number | null
  /** ours / NumPy written well: the median of the rounds' pairs, each timed back to back. */
  ratio: number | null
  /** Each round's msPerIter, ours and NumPy's (msPerIter and numpyMsPerIter are their medians). */
  msPerIterRounds: number[]
  numpyMsPerIterRounds: number[]
}

interface CellTime {
  msPerIter: number
  timedIters: number
  startupMs: number
}

/**
 * One grid cell of ours, timed as numpy_lean.py times its own: in steady state, after at least
 * 20 warm-up iterations of the same network. The run's first progress message at or past
 * iteration 20 ends the warm-up (the JIT, the run's first touches of its memories, the kernel
 * helper taking them on); what the warm-up cost beyond steady steps is its startupMs.
 */
async function timeCell([hiddenSizes, batch]: readonly [readonly number[], number], scaleIters: number): Promise<CellTime> {
  const cellIters = CELL_WARMUP + 2 * scaleIters
  const cellConfig: TrainConfig = { ...BOOK_TRAINING, network: { ...BOOK_NETWORK, hiddenSizes: [...hiddenSizes] }, batchSize: batch, iters: cellIters, evalEvery: cellIters * 10, evalSamples: 100 }
  const origin = { iter: 0, elapsedMs: 0 }
  let warm = origin
  let last = origin
  await backend.training.start({
    config: cellConfig,
    onProgress: (p) => {
      if (warm === origin && p.iter >= CELL_WARMUP) warm = { iter: p.iter, elapsedMs: p.elapsedMs }
      last = { iter: p.iter, elapsedMs: p.elapsedMs }
    },
  }).result
  // a run too quick to report before its end is timed whole
  const from = warm.iter < last.iter ? warm : origin
  const msPerIter = (last.elapsedMs - from.elapsedMs) / (last.iter - from.iter)
  return { msPerIter, timedIters: last.iter - from.iter, startupMs: Math.max(0, from.elapsedMs - from.iter * msPerIter) }
}

function median(v: readonly number[]): number {
  return medianOf(v, (x) => x)
}

/** The element whose key is the median (the lower middle one of an even count). */
function medianOf<T>(v: readonly T[], key: (t: T) => number): T {
  const sorted = [...v].sort((a, b) => key(a) - key(b))
  return sorted[(sorted.length - 1) >> 1]
}

const userDataDir = await mkdtemp(join(tmpdir(), 'bps-bench-'))
const backend = await Backend.create({ userDataDir, poolSize: workers })
const dispatch = createDispatcher(backend)

async function train(config: TrainConfig) {
  const job = backend.training.start({ config })
  return job.result
}

try {
  // the workload: the book's run (quick: 300 iterations, evaluation every 100 on 2000 images)
  const book: TrainConfig = quick ? { ...BOOK_TRAINING, iters: 300, evalEvery: 100, evalSamples: 2000 } : BOOK_TRAINING
  log(`book workload: ${book.iters} iterations, ${workers} worker(s)…`)
  await train({ ...book, iters: 20, evalSamples: 100 }) // start the worker and warm up the JIT, as an open app would be
  const stopRss = watchPeakRss()
  const stopProbe = probeLatency(() => dispatch('trainingStatus', {}))
  const t0 = performance.now()
  const result = await train(book)
  const seconds = (performance.now() - t0) / 1000
  const latencies = stopProbe()
  const peakRss = stopRss()

  log('gradient check (3 images, 784-50-10, every parameter)…')
  const g0 = performance.now()
  await backend.training.gradientCheck({ network: BOOK_NETWORK, seed: 1, samples: 3 })
  const gradcheckSeconds = (performance.now() - g0) / 1000

  log('evaluation throughput…')
  // the whole test split and as many training images, on one worker, best of three
  const evalRequest = { network: BOOK_NETWORK, params: result.params, evalSamples: 10000 }
  const evalImages = Math.min(10000, backend.training.pool.dataset?.train.count ?? 0) + Math.min(10000, backend.training.pool.dataset?.test.count ?? 0)
  let evalBest = Infinity
  for (let i = 0; i < 3; i++) {
    const e0 = performance.now()
    await backend.training.evaluate(evalRequest)
    evalBest = Math.min(evalBest, (performance.now() - e0) / 1000)
  }
  const evalImagesPerSecond = evalImages / evalBest

  log('scaling…')
  const scaleIters = quick ? 30 : 300
  const rounds = quick ? 1 : GRID_ROUNDS
  const largest = GRID.reduce((a, b) => (cellMacs(b) > cellMacs(a) ? b : a))
  let largestCellPeakRss = 0
  const numpyCells = args.includes('--no-numpy') ? null : await startNumpyLeanCells(defaultDatasetDir(), scaleIters)
  const ours: CellTime[][] = GRID.map(() => [])
  const theirs: number[][] = GRID.map(() => [])
  try {
    for (let r = 0; r < rounds; r++) {
      for (const [i, cell] of GRID.entries()) {
        // each pair back to back, NumPy first every other round
        const numpyFirst = r % 2 === 1
        if (numpyCells && numpyFirst) theirs[i].push(await numpyCells.run(cell[0], cell[1]))
        const stopCellRss = cell === largest && r === 0 ? watchPeakRss(50, numpyCells ? [numpyCells.pid] : []) : null
        ours[i].push(await timeCell(cell, scaleIters))
        if (stopCellRss) largestCellPeakRss = stopCellRss()
        if (numpyCells && !numpyFirst) theirs[i].push(await numpyCells.run(cell[0], cell[1]))
      }
    }
  } finally {
    numpyCells?.close()
  }
  const scaling: ScalingEntry[] = GRID.map(([hiddenSizes, batch], i) => {
    const mid = medianOf(ours[i], (t) => t.msPerIter)
    const numpyMsPerIter = theirs[i].length ? median(theirs[i]) : null
    return {
      hidden: hiddenSizes[0],
      hiddenSizes: [...hiddenSizes],
      batch,
      msPerIter: mid.msPerIter,
      timedIters: mid.timedIters,
      startupMs: mid.startupMs,
      samplesPerSecond: (batch * 1000) / mid.msPerIter,
      numpyMsPerIter,
      ratio: numpyMsPerIter === null ? null : median(ours[i].map((t, k) => t.msPerIter / theirs[i][k])),
      msPerIterRounds: ours[i].map((t) => t.msPerIter),
      numpyMsPerIterRounds: theirs[i],
    }
  })

  // the same workload with the other worker count: one worker evaluates inline, two overlap evaluation with training
  const byWorkers = [{ workers, seconds, trainSeconds: result.trainSeconds, evalSeconds: result.evalSeconds, samplesPerSecond: (book.iters * book.batchSize) / result.trainSeconds }]
  const other = workers === 1 ? 2 : 1
  if (!args.includes('--no-compare')) {
    log(`book workload with ${other} worker(s)…`)
    const otherDir = await mkdtemp(join(tmpdir(), 'bps-bench-'))
    const b2 = await Backend.create({ userDataDir: otherDir, poolSize: other })
    try {
      await b2.training.start({ config: { ...book, iters: 20, evalSamples: 100 } }).result
      const o0 = performance.now()
      const r2 = await b2.training.start({ config: book }).result
      byWorkers.push({ workers: other, seconds: (performance.now() - o0) / 1000, trainSeconds: r2.trainSeconds, evalSeconds: r2.evalSeconds, samplesPerSecond: (book.iters * book.batchSize) / r2.trainSeconds })
    } finally {
      await b2.dispose()
      await rm(otherDir, { recursive: true, force: true })
    }
  }

  let numpy: NumpyResult | null = null
  let lean: NumpyLeanResult | null = null
  if (!args.includes('--no-numpy')) {
    log('numpy reference…')
    numpy = await runNumpyReference(defaultDatasetDir(), book.iters)
    log('numpy written well: the book workload…')
    lean = await runNumpyLean(defaultDatasetDir(), book.iters)
  }

  const report = {
    workload: quick ? 'book-quick' : 'book',
    seconds,
    trainSeconds: result.trainSeconds,
    evalSeconds: result.evalSeconds,
    samplesPerSecond: (book.iters * book.batchSize) / result.trainSeconds,
    peakRssMB: peakRss / 2 ** 20,
    trainAcc: result.summary.trainAcc,
    testAcc: result.summary.testAcc,
    workers,
    gradcheckSeconds,
    apiP99Ms: percentile(latencies, 99),
    apiCalls: latencies.length,
    numpySeconds: numpy?.seconds ?? null,
    numpyPeakRssMB: numpy?.peakRssMB ?? null,
    numpyTestAcc: numpy?.testAcc ?? null,
    speedupVsNumpy: numpy ? numpy.seconds / seconds : null,
    numpyLeanSeconds: lean?.seconds ?? null,
    numpyLeanTrainSeconds: lean?.trainSeconds ?? null,
    numpyLeanEvalSeconds: lean?.evalSeconds ?? null,
    numpyLeanPeakRssMB: lean?.peakRssMB ?? null,
    numpyLeanTestAcc: lean?.testAcc ?? null,
    /** ours / NumPy written well, wall time of the book's workload: the goal is ≤ 0.5. */
    ratioVsNumpyLean: lean ? seconds / lean.seconds : null,
    evalImagesPerSecond,
    numpyLeanEvalImagesPerSecond: lean?.evalImagesPerSecond ?? null,
    largestCell: { hiddenSizes: [...largest[0]], batch: largest[1] },
    largestCellPeakRssMB: largestCellPeakRss / 2 ** 20,
    gridRounds: rounds,
    byWorkers,
    scaling,
  }
  if (json) {
    process.stdout.write(`${JSON.stringify(report)}\n`)
  } else {
    const f = (v: number | null, d = 2) => (v === null ? '–' : v.toFixed(d))
    const rows: [string, string][] = [
      ['workload', report.workload],
      ['wall seconds', f(report.seconds)],
      ['  training / evaluation', `${f(report.trainSeconds)} / ${f(report.evalSeconds)}`],
      ['samples per second', f(report.samplesPerSecond, 0)],
      ['peak RSS (process tree)', `${f(report.peakRssMB, 0)} MB`],
      ['train / test accuracy', `${f(report.trainAcc, 4)} / ${f(report.testAcc, 4)}`],
      ['workers', String(workers)],
      ['gradient check', `${f(report.gradcheckSeconds, 3)} s`],
      ['API p99 while training', `${f(report.apiP99Ms, 1)} ms over ${report.apiCalls} calls`],
      ['numpy wall seconds', f(report.numpySeconds)],
      ['numpy peak RSS', report.numpyPeakRssMB === null ? '–' : `${f(report.numpyPeakRssMB, 0)} MB`],
      ['speed-up vs numpy', report.speedupVsNumpy === null ? '–' : `${f(report.speedupVsNumpy)}×`],
      ['numpy written well, wall', f(report.numpyLeanSeconds)],
      ['  ours / numpy written well', report.ratioVsNumpyLean === null ? '–' : `${f(report.ratioVsNumpyLean)}×`],
      ['evaluation, images/s', `${f(evalImagesPerSecond, 0)} (numpy written well: ${f(report.numpyLeanEvalImagesPerSecond, 0)})`],
      ['peak RSS, largest cell', `${f(report.largestCellPeakRssMB, 0)} MB (${largest[0].join('-')} at batch ${largest[1]})`],
    ]
    process.stdout.write(rows.map(([k, v]) => `${k.padEnd(28)} ${v}`).join('\n') + '\n\n')
    process.stdout.write(byWorkers.map((w) => `${w.workers} worker(s): ${w.seconds.toFixed(2)} s wall (training ${w.trainSeconds.toFixed(2)} s, evaluation ${w.evalSeconds.toFixed(2)} s), ${w.samplesPerSecond.toFixed(0)} samples/s`).join('\n') + '\n\n       hidden  batch   ms/iter   samples/s   numpy ms   ours/numpy\n')
    process.stdout.write(scaling.map((s) => `${s.hiddenSizes.join('-').padStart(13)} ${String(s.batch).padStart(6)} ${s.msPerIter.toFixed(3).padStart(9)} ${s.samplesPerSecond.toFixed(0).padStart(11)} ${f(s.numpyMsPerIter, 3).padStart(10)} ${f(s.ratio).padStart(12)}`).join('\n') + '\n')
  }
} finally {
  await backend.dispose()
  await rm(userDataDir, { recursive: true, force: true })
}
