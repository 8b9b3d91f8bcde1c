import type { SparseAffineLayer } from './layer'
import { ensure, zeros, type Matrix } from './matrix'
import { SparseRows, type PixelSelection } from './sparse-rows'
import type { AffineArgs, KernelHelper } from './kernel-helper'
import { instantiateKernels, kernelsOverBuffer, newMemory, type WasmKernels, type WasmMemory, type WasmModule } from './wasm-kernels'

const PAGE = 65536
/** Largest dense input (in entries) listed in WebAssembly: bounds the worst-case reservation. */
const DENSE_IN_WASM = 1 << 20
const align = (n: number) => (n + 15) & ~15
/**
 * Bytes of W (or dW) the two products keep in L2 at a time: half of a core's 1 MiB here, leaving
 * the rest to the nonzeros, the outputs and dout streaming past.
 */
const TILE_BYTES = 512 * 1024

/**
 * Products smaller than this many multiply-adds are not worth waking a second thread for; while
 * it still spins from its last share, products a quarter that size are worth splitting.
 */
const SPLIT_MACS = 1 << 20
const SPLIT_WARM_MACS = SPLIT_MACS / 4
/**
 * Output columns up to which dW is scattered along x's row lists rather than gathered along its
 * column lists: a row of dW that narrow is a few vectors to load, add to and store per nonzero,
 * while listing x by column (one write stream per column of x) would cost more than the product.
 */
const SCATTER_COLUMNS = 16
/** Tiles of W beyond which forward reads it in panels (see packable). */
const PANEL_TILES = 3
/** Parameters an SGD step splits with the helper from (a quarter of that while it spins). */
const SPLIT_SGD = 1 << 17
const SPLIT_WARM_SGD = SPLIT_SGD / 4

/** The products a helper can share: out = x·W + b, dW = xᵀ·dout, dx = dout·Wᵀ. */
type Product = 'out' | 'dW' | 'dx'

/** Output columns per tile for K rows of the dense operand: a multiple of 12 (the kernel's block), at least one block. */
export function tileColumns(K: number): number {
  return Math.max(12, Math.floor(TILE_BYTES / (K * 8) / 12) * 12)
}

/**
 * y = x·W + b over the nonzeros of x, with the two big products in WebAssembly SIMD.
 * x: (N, in), W: (in, out), b: (1, out)
 *
 * Exact, like the book's Affine (affine.ts), and the same bits: the products whose x is 0
 * are skipped, and the rest are summed in the same order as SparseAffine's. W, b, dW and db live in
 * this layer's own WebAssembly memory, so the kernels read them in place; when the scratch
 * space must grow, the memory grows and W.data and friends are re-viewed onto the new buffer
 * (the Matrix objects stay the same, so whoever holds them sees the new views).
 */
export class WasmSparseAffine implements SparseAffineLayer {
  readonly dW: Matrix
  readonly db: Matrix
  private readonly memory: WasmMemory
  private readonly k: WasmKernels
  private readonly own = new SparseRows()
  private xs: SparseRows | null = null
  private out: Matrix = zeros(0, 0)
  private dx: Matrix | null = null
  /** Nonzeros of the input now listed in memory. */
  private nnz = 0
  private rowsCap = 0
  private nnzCap = 0
  // byte offsets: parameters first (they never move), scratch after
  private readonly offW = 0
  private readonly offB: number
  private readonly offDW: number
  private readonly offDB: number
  /** max(K, M) zeros, never written: the bias of the dW and dx products. */
  private readonly offZero: number
  /** Wᵀ (M, K), rebuilt for each dx (needsDx only). */
  private readonly offWT: number
  /** W as panels of `tile` columns (`packable` only): written by the SGD step, or packed by a forward (see panelsFresh). */
  private readonly offWP: number
  private readonly scratch: number
  private offStarts = 0
  private offIdx = 0
  /** x's nonzeros as the byte offsets of W's rows they multiply (the affine kernel's form). */
  private offOffs = 0
  private offVals = 0
  private offOut = 0
  private offDout = 0
  /** dout's nonzeros by row, for dx. */
  private offDoutStarts = 0
  private offDoutIdx = 0
  private offDoutOffs = 0
  private offDoutVals = 0
  /** x's nonzeros listed by column (for dW), and the counting sort's cursors. */
  private offColStarts = 0
  private offCursor = 0
  private offRowIdx = 0
  private offColVals = 0
  /** Dense input in forward, dx in backward. */
  private offDense = 0
  private denseCap = 0
  private offRaw16 = 0
  private offRaw8 = 0
  private offLut = 0
  /** The byte → value table now at offLut. */
  private lut: Float64Array | null = null
  /** The helper's share of each product's rows (see split). */
  private readonly share: Record<Product, number> = { out: 0.5, dW: 0.5, dx: 0.5 }
  /** Output columns per tile of the two products. */
  private readonly tile: number
  /**
   * Whether forward reads W in panels of `tile` columns: in W as it is, a tile's rows lie M·8
   * bytes apart, a page or more for a wide W, so each nonzero's loads land on a page of their
   * own. Up to PANEL_TILES tiles wide, the pack costs about what it saves. The SGD step writes
   * the panels as it updates W (sgd_panels, each thread its share of the rows, so each panel
   * line crosses between the cores only as W's own would); other forwards pack W first. A forward
   * shared with the helper is split by panels, not rows (see run).
   */
  private readonly packable: boolean
  /**
   * The panels hold W as the last SGD step left it, and no forward has run since: whatever else
   * writes W (an import, a gradient check's nudges, another optimiser) runs between forwards
   * with no SGD step after it, so one forward's use is all this vouches for.
   */
  private panelsFresh = false
  /** The helper is listing x's nonzeros by column (for dW) in the background, since forward. */
  private listing = false
  /** A sum of the values loadPixels reads ahead, kept so that no compiler drops those reads. */
  private touched = 0

  /**
   * helper: a second thread that takes part of each large product (the same bits as without one);
   * `module` must then be the build for a shared memory.
   */
  constructor(readonly W: Matrix, readonly b: Matrix, readonly needsDx: boolean, private readonly module: WasmModule, private readonly helper: KernelHelper | null = null) {
    const K = W.rows, M = W.cols
    this.tile = tileColumns(K)
    // (dw_scatter reads x's offsets as dW's rows, k·M·8: with panels they are k·tile·8)
    this.packable = M > PANEL_TILES * this.tile && M > SCATTER_COLUMNS
    this.offB = align(K * M * 8)
    this.offDW = this.offB + align(M * 8)
    this.offDB = this.offDW + align(K * M * 8)
    this.offZero = this.offDB + align(M * 8)
    this.offWT = this.offZero + align(Math.max(K, M) * 8)
    this.offWP = this.offWT + (needsDx ? align(K * M * 8) : 0)
    this.scratch = this.offWP + (this.packable ? align(K * Math.ceil(M / this.tile) * this.tile * 8) : 0)
    // shared only with a helper: V8 frees a shared memory late (it does not count toward collecting garbage)
    this.memory = newMemory(Math.ceil(this.scratch / PAGE) + 1, helper !== null)
    this.k = instantiateKernels(module, this.memory)
    this.register()
    const w = W.data, bias = b.data
    this.dW = zeros(K, M)
    this.db = zeros(1, M)
    this.view()
    this.W.data.set(w)
    this.b.data.set(bias)
  }

  /**
   * forward for a dense x (a hidden layer's input): small enough inputs are copied in whole and
   * listed by their nonzeros here in WebAssembly, larger ones (a big prediction batch) in JS.
   */
  forward(x: Matrix, train = false): Matrix {
    const K = this.W.rows, N = x.rows
    if (x.cols !== K) throw new RangeError(`WasmSparseAffine.forward: x has ${x.cols} columns, W has ${K} rows`)
    if (N * K > DENSE_IN_WASM) return this.forwardSparse(this.own.load(x), train)
    this.beginForward()
    this.reserve(N, N * K, true)
    new Float64Array(this.memory.buffer, this.offDense, N * K).set(x.data.subarray(0, N * K))
    this.own.rows = N
    this.own.cols = K
    this.own.pending = null
    this.own.nnz = this.nnz = this.k.csr_from_dense(N, K, this.offDense, this.offStarts, this.offIdx, this.offVals, this.rowBytes, this.offOffs)
    this.xs = this.own
    return this.run(N, train)
  }

  /** forward for an input already listed by its nonzeros (the trainer builds them from pixel bytes). */
  forwardSparse(xs: SparseRows, train = false): Matrix {
    const K = this.W.rows, N = xs.rows
    if (xs.cols !== K) throw new RangeError(`WasmSparseAffine.forward: x has ${xs.cols} columns, W has ${K} rows`)
    this.beginForward()
    this.xs = xs
    if (xs.pending) {
      this.loadPixels(xs.pending, N)
    } else {
      this.reserve(N, xs.nnz)
      this.nnz = xs.nnz
      const buf = this.memory.buffer
      new Int32Array(buf, this.offStarts, N + 1).set(xs.rowStart.subarray(0, N + 1))
      new Int32Array(buf, this.offIdx, xs.nnz).set(xs.colIndex.subarray(0, xs.nnz))
      new Float64Array(buf, this.offVals, xs.nnz).set(xs.rowValues.subarray(0, xs.nnz))
      this.k.scale_indices(xs.nnz, this.offIdx, this.rowBytes, this.offOffs)
    }
    return this.run(N, train)
  }

  /**
   * out = x·W + b from the row lists now in memory. With `train` and a product large enough to
   * have been shared, the helper then lists x's nonzeros by column for backward's dW while this
   * thread goes on with the next layers.
   */
  private run(N: number, train: boolean): Matrix {
    const M = this.W.cols, K = this.W.rows, T = this.tile, buf = this.memory.buffer
    let src = this.offW, S = T * 8
    if (this.packable) {
      if (!this.panelsFresh) this.k.pack_panels(K, M, T, this.offW, this.offWP)
      src = this.offWP
      S = K * T * 8
    }
    this.panelsFresh = false
    const shared = this.packable
      // columns of out, a panel at a time: panels [0, s) here, [s, ⌈M/T⌉) on the helper. Split by
      // rows, each thread would stream every panel from L3 for half the rows; by panels, half of them for all
      ? this.split('out', Math.ceil(M / T), this.nnz * M,
        (s) => this.k.affine(N, Math.min(M, s * T), T, S, this.offStarts, this.offOffs, this.offVals, src, this.offB, this.offOut, M * 8),
        (s) => [N, M - s * T, T, S, this.offStarts, this.offOffs, this.offVals, src + s * S, this.offB + s * T * 8, this.offOut + s * T * 8, M * 8],
        (s) => (M - s * T) / M)
      // rows of out: [0, s) here, [s, N) on the helper
      : this.split('out', N, this.nnz * M,
        (s) => this.k.affine(s, M, T, S, this.offStarts, this.offOffs, this.offVals, src, this.offB, this.offOut, M * 8),
        (s) => [N - s, M, T, S, this.offStarts + s * 4, this.offOffs, this.offVals, src, this.offB, this.offOut + s * M * 8, M * 8])
    if (shared && train && this.helper) {
      this.helper.start(this.memory, this.module, this.k, { kernel: 'csc_from_csr', args: this.columnListArgs(N, K, M) })
      this.listing = true
    }
    if (this.out.rows !== N || this.out.data.buffer !== buf || this.out.data.byteOffset !== this.offOut) {
      this.out = { rows: N, cols: M, data: new Float64Array(buf, this.offOut, N * M) }
    }
    return this.out
  }

  /**
   * The row lists of images straight from a pixel list: their 16-bit indices and byte values
   * are copied in as they are, then widened to int32 and float64 here in WebAssembly.
   */
  private loadPixels(p: PixelSelection, N: number): void {
    const ps = p.pixels.start, index = p.pixels.index, value = p.pixels.value, idx = p.idx, from = p.from
    let nnz = 0
    if (idx) {
      // A random batch's lists lie scattered over the whole split (28 MB for MNIST's training
      // images), mostly out of cache. Reading one value of each of their cache lines first, in a
      // loop whose loads do not depend on each other, lets the misses overlap; the block copies
      // below, one image at a time, would otherwise take them one after another.
      let touched = 0
      for (let r = 0; r < N; r++) {
        const n = idx[from + r], t0 = ps[n], t1 = ps[n + 1]
        nnz += t1 - t0
        for (let q = t0; q < t1; q += 32) touched += index[q]
        for (let q = t0; q < t1; q += 64) touched += value[q]
      }
      this.touched = touched
    } else {
      nnz = ps[from + N] - ps[from]
    }
    this.reserve(N, nnz)
    this.nnz = nnz
    const buf = this.memory.buffer
    const starts = new Int32Array(buf, this.offStarts, N + 1)
    const raw16 = new Uint16Array(buf, this.offRaw16, nnz), raw8 = new Uint8Array(buf, this.offRaw8, nnz)
    if (idx) {
      let at = 0
      for (let r = 0; r < N; r++) {
        const n = idx[from + r]
        const t0 = ps[n], t1 = ps[n + 1]
        starts[r] = at
        // each image's list is one run: two block copies
        raw16.set(index.subarray(t0, t1), at)
        raw8.set(value.subarray(t0, t1), at)
        at += t1 - t0
      }
      starts[N] = at
    } else {
      // consecutive images (an evaluation chunk) are one run of the lists: two block copies
      const base = ps[from]
      for (let r = 0; r <= N; r++) starts[r] = ps[from + r] - base
      raw16.set(index.subarray(base, base + nnz))
      raw8.set(value.subarray(base, base + nnz))
    }
    if (this.lut !== p.scale) {
      new Float64Array(buf, this.offLut, 256).set(p.scale)
      this.lut = p.scale
    }
    this.k.expand_pixels(nnz, this.offRaw16, this.offRaw8, this.offLut, this.offIdx, this.offVals, this.rowBytes, this.offOffs)
  }

  /**
   * dW = xᵀ·dout, db = Σ_rows dout, dx = dout·Wᵀ (zeros when needsDx is false).
   * x's nonzeros are still in this memory from forward, listed by row; they are listed again by
   * column here (a counting sort, O(nnz)), so that each row of dW sums its terms in registers and
   * is written once, in the same order as a scatter along the row lists would add them. A dW of
   * at most SCATTER_COLUMNS columns is that scatter, the same bits.
   */
  backward(dout: Matrix): Matrix {
    const xs = this.xs
    if (!xs) throw new Error('WasmSparseAffine.backward called before forward')
    const K = this.W.rows, M = this.W.cols, N = dout.rows
    this.wakeHelper(Math.max(this.nnz * M, this.needsDx ? N * M * K : 0))
    new Float64Array(this.memory.buffer, this.offDout, N * M).set(dout.data.subarray(0, N * M))
    if (!this.listing && M <= SCATTER_COLUMNS) {
      // a narrow dout: dW row by row along x's lists by row, the same bits without listing x by column
      this.k.dw_scatter(N, K * M * 8, M, this.offStarts, this.offOffs, this.offVals, this.offDout, this.offDW)
    } else {
      // dW = xᵀ·dout as the affine product of x's lists by column with dout (and a zero bias);
      // rows of dW: [0, s) here, [s, K) on the helper
      if (this.listing) this.settle()
      else this.k.csc_from_csr(...this.columnListArgs(N, K, M))
      const T = tileColumns(N)
      this.split('dW', K, this.nnz * M,
        (s) => this.k.affine(s, M, T, T * 8, this.offColStarts, this.offRowIdx, this.offColVals, this.offDout, this.offZero, this.offDW, M * 8),
        (s) => [K - s, M, T, T * 8, this.offColStarts + s * 4, this.offRowIdx, this.offColVals, this.offDout, this.offZero, this.offDW + s * M * 8, M * 8])
    }
    this.k.sum_rows(N, M, this.offDout, this.offDB)
    if (!this.needsDx) return (this.dx = ensure(this.dx, N, K))
    const buf = this.memory.buffer
    // dx = dout·Wᵀ as the affine product of dout's nonzeros (below a ReLU, about half of them)
    // with Wᵀ and a zero bias: each dx element sums dout[i, j]·W[k, j] in j order, as a dense
    // loop would (a skipped zero term adds nothing). Rows of dx: [0, s) here, [s, N) on the helper.
    this.k.transpose(K, M, this.offW, this.offWT)
    const nz = this.k.csr_from_dense(N, M, this.offDout, this.offDoutStarts, this.offDoutIdx, this.offDoutVals, K * 8, this.offDoutOffs)
    const TK = tileColumns(M)
    this.split('dx', N, nz * K,
      (s) => this.k.affine(s, K, TK, TK * 8, this.offDoutStarts, this.offDoutOffs, this.offDoutVals, this.offWT, this.offZero, this.offDense, K * 8),
      (s) => [N - s, K, TK, TK * 8, this.offDoutStarts + s * 4, this.offDoutOffs, this.offDoutVals, this.offWT, this.offZero, this.offDense + s * K * 8, K * 8])
    if (!this.dx || this.dx.rows !== N || this.dx.data.buffer !== buf || this.dx.data.byteOffset !== this.offDense) {
      this.dx = { rows: N, cols: K, data: new Float64Array(buf, this.offDense, N * K) }
    }
    return this.dx
  }

  /**
   * Before a forward lists its input: the column lists still being made are finished and the
   * helper is woken for the product ahead.
   */
  private beginForward(): void {
    this.settle()
    this.wakeHelper(this.nnz * this.W.cols)
  }

  /** Bytes between the rows of W this forward reads: x's nonzeros are listed as multiples of it. */
  private get rowBytes(): number {
    return (this.packable ? this.tile : this.W.cols) * 8
  }

  /** x's nonzeros (N rows, K columns) by column, each row as a byte offset into dout (M columns). */
  private columnListArgs(N: number, K: number, M: number): Parameters<WasmKernels['csc_from_csr']> {
    return [N, K, this.offStarts, this.offIdx, this.offVals, this.offColStarts, this.offCursor, this.offRowIdx, this.offColVals, M * 8]
  }

  /** Waits for the column lists the helper may still be making (or makes them here, if it is gone). */
  private settle(): void {
    if (!this.listing) return
    this.listing = false
    this.helper?.finish()
  }

  /**
   * Wakes the helper ahead of products of about `macs` multiply-adds (the last call's count
   * stands in for this one's), so that it is spinning when they are split. Products too small
   * to split leave it asleep: woken for nothing, its spinning slowed 784-50-50-10 by a third here
   * (the two vCPUs share more of the machine than they show).
   */
  private wakeHelper(macs: number): void {
    if (this.helper && macs >= SPLIT_MACS) this.helper.wake()
  }

  /**
   * Records the kernels that work in this layer's memory, for the optimiser (wasmKernelsOver).
   * Their SGD step is this layer's (see sgd) where it has a helper or panels: with a helper it is
   * split between the two threads (it is elementwise, so the same bits whoever updates which
   * half), and with panels it writes them.
   */
  private register(): void {
    const own = this.helper !== null || this.packable
    kernelsOverBuffer(this.memory, own ? { ...this.k, sgd: (n, lr, W, dW) => this.sgd(n, lr, W, dW) } : this.k)
  }

  /**
   * W ← W − lr·dW over n float64s at byte offsets W and dW: the second half on the helper when it
   * is large enough. An update of this layer's whole W also writes its panels (packable only).
   */
  private sgd(n: number, lr: number, W: number, dW: number): void {
    const helper = this.helper
    const shared = helper !== null && helper.ready && !helper.resting && n >= (helper.warm ? SPLIT_WARM_SGD : SPLIT_SGD)
    const K = this.W.rows, M = this.W.cols, T = this.tile
    if (this.packable && W === this.offW && dW === this.offDW && n === K * M) {
      // rows [0, s) here, [s, K) on the helper
      const s = shared ? K >> 1 : K
      if (shared) helper.start(this.memory, this.module, this.k, { kernel: 'sgd_panels', args: [s, K, M, T, K * T * 8, lr, W, dW, this.offWP] })
      try {
        this.k.sgd_panels(0, s, M, T, K * T * 8, lr, W, dW, this.offWP)
      } finally {
        if (shared) helper.finish()
      }
      this.panelsFresh = true
      return
    }
    if (!shared) {
      this.k.sgd(n, lr, W, dW)
      return
    }
    const s = (n >> 1) & ~1
    helper.start(this.memory, this.module, this.k, { kernel: 'sgd', args: [n - s, lr, W + s * 8, dW + s * 8] })
    try {
      this.k.sgd(s, lr, W, dW)
    } finally {
      helper.finish()
    }
  }

  /**
   * Runs a product of `n` parts of its output, rows or panels of columns (`macs` multiply-adds):
   * parts [0, s) here by `here(s)` while the helper runs the affine kernel on `there(s)`, parts
   * [s, n); `part(s)` is the helper's fraction of the work. The two write disjoint outputs, and
   * each output is the same bits whichever thread computes it, so `s` may follow the threads'
   * speeds: after each call the helper's share moves toward where both would have finished together.
   */
  private split(product: Product, n: number, macs: number, here: (s: number) => void, there: (s: number) => AffineArgs, part = (s: number) => (n - s) / n): boolean {
    const helper = this.helper
    if (!helper || helper.resting || n < 2 || macs < (helper.warm ? SPLIT_WARM_MACS : SPLIT_MACS)) {
      here(n)
      return false
    }
    const f = this.share[product]
    const s = Math.min(n - 1, Math.max(1, Math.round(n * (1 - f))))
    helper.start(this.memory, this.module, this.k, { kernel: 'affine', args: there(s) })
    const t0 = performance.now()
    let tHere = 0
    try {
      here(s)
      tHere = performance.now() - t0
    } finally {
      const tThere = helper.finish()
      if (tHere > 0 && tThere > 0) {
        const fs = part(s), vThere = fs / tThere, vHere = (1 - fs) / tHere
        this.share[product] = Math.min(0.9, Math.max(0.1, 0.8 * f + (0.2 * vThere) / (vThere + vHere)))
      }
    }
    return true
  }

  /**
   * Makes room for `rows` rows with `nnz` nonzeros (the column lists need K + 1 starts), and,
   * with `dense`, for a dense (rows, K) input. That region also takes dx in backward, after
   * forward has listed the input's nonzeros and no longer needs it.
   */
  private reserve(rows: number, nnz: number, dense = false): void {
    const denseRows = Math.max(dense ? rows : 0, this.needsDx ? rows : 0)
    if (rows <= this.rowsCap && nnz <= this.nnzCap && denseRows <= this.denseCap) return
    const K = this.W.rows, M = this.W.cols
    this.rowsCap = Math.max(rows, this.rowsCap)
    this.nnzCap = Math.max(nnz, Math.ceil(this.nnzCap * 1.25))
    this.denseCap = Math.max(denseRows, this.denseCap)
    this.offStarts = this.scratch
    this.offIdx = this.offStarts + align((Math.max(this.rowsCap, K) + 1) * 4)
    this.offOffs = this.offIdx + align(this.nnzCap * 4)
    this.offVals = this.offOffs + align(this.nnzCap * 4)
    this.offColStarts = this.offVals + align(this.nnzCap * 8)
    this.offCursor = this.offColStarts + align((K + 1) * 4)
    this.offRowIdx = this.offCursor + align(K * 4)
    this.offColVals = this.offRowIdx + align(this.nnzCap * 4)
    this.offOut = this.offColVals + align(this.nnzCap * 8)
    this.offDout = this.offOut + align(this.rowsCap * M * 8)
    this.offDoutStarts = this.offDout + align(this.rowsCap * M * 8)
    this.offDoutIdx = this.offDoutStarts + align((this.rowsCap + 1) * 4)
    this.offDoutOffs = this.offDoutIdx + (this.needsDx ? align(this.rowsCap * M * 4) : 0)
    this.offDoutVals = this.offDoutOffs + (this.needsDx ? align(this.rowsCap * M * 4) : 0)
    this.offDense = this.offDoutVals + (this.needsDx ? align(this.rowsCap * M * 8) : 0)
    this.offRaw16 = this.offDense + align(this.denseCap * K * 8)
    this.offRaw8 = this.offRaw16 + align(this.nnzCap * 2)
    this.offLut = this.offRaw8 + align(this.nnzCap)
    this.lut = null
    const end = this.offLut + 256 * 8
    const have = this.memory.buffer.byteLength
    if (end > have) {
      this.memory.grow(Math.ceil((end - have) / PAGE))
      this.register()
      this.view()
    }
  }

  private view(): void {
    const buf = this.memory.buffer, K = this.W.rows, M = this.W.cols
    this.W.data = new Float64Array(buf, this.offW, K * M)
    this.b.data = new Float64Array(buf, this.offB, M)
    this.dW.data = new Float64Array(buf, this.offDW, K * M)
    this.db.data = new Float64Array(buf, this.offDB, M)
  }
}
