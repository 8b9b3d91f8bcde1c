import type { WasmKernels, WasmMemory, WasmModule } from './wasm-kernels'

/**
 * A second thread that runs its share of a product in the same shared WebAssembly memory while
 * this thread runs the rest. The shares write disjoint outputs and each output sums the same terms
 * in the same order as on one thread, so the result is the same bits with or without a helper.
 */
export interface KernelHelper {
  /**
   * Starts `call` on the helper, in `memory`, and returns at once. A call still pending is
   * finished first: a layer may leave one running in the background (its column lists, during
   * the rest of the forward pass) and finish it when it needs the result, if no one has since.
   */
  start(memory: WasmMemory, module: WasmModule, kernels: WasmKernels, call: KernelCall): void
  /**
   * Returns when the started call is done, with the milliseconds the helper spent on it (NaN
   * when it ran here instead, because the helper is not up yet or is gone, or when none was pending).
   */
  finish(): number
  /** Wakes a sleeping helper ahead of a call soon to come, so that the call finds it awake. */
  wake(): void
  /** Whether the helper is still spinning after its last share: a call now costs no wake-up. */
  readonly warm: boolean
  /** Gives the helper no calls for `ms` (they run here; 0 ends a rest): see TwoCorePolicy. */
  rest(ms: number): void
  readonly resting: boolean
  /** The helper thread is up and enabled: calls go to it unless it rests. */
  readonly ready: boolean
}

// The control block: Int32 words, then the call's arguments as float64 (an i32 converts exactly).
const SEQ = 0 // calls posted
const DONE = 1 // calls finished
const OP = 2 // what to run: AFFINE, COLUMN_LISTS, SGD, SGD_PANELS, ATTACH, STOP or DETACH_ALL
const SLOT = 3 // which attached memory
const READY = 4 // 1 once the helper's loop runs
const FAILED = 5 // 1 if the last call threw
const WORDS = 8
/** affine's arguments: R, M, T, S, starts, offs, vals, src, bias, dst, D. */
export type AffineArgs = Parameters<WasmKernels['affine']>
/** csc_from_csr's arguments: R, K, starts, idx, vals, colStarts, cursor, rowIdx, colVals, scale. */
export type ColumnListArgs = Parameters<WasmKernels['csc_from_csr']>
/** sgd's arguments: n, lr, W, dW. */
export type SgdArgs = Parameters<WasmKernels['sgd']>
/** sgd_panels' arguments: k0, k1, M, T, S, lr, W, dW, panels. */
export type SgdPanelsArgs = Parameters<WasmKernels['sgd_panels']>
/** What a helper runs: a share of a product or of an SGD step, or a layer's column lists. */
export type KernelCall =
  | { kernel: 'affine'; args: AffineArgs }
  | { kernel: 'csc_from_csr'; args: ColumnListArgs }
  | { kernel: 'sgd'; args: SgdArgs }
  | { kernel: 'sgd_panels'; args: SgdPanelsArgs }
const MAX_ARGS = 11
/** Float64 after the arguments: the helper's milliseconds on the last call. */
const ELAPSED = MAX_ARGS
const AFFINE = 1
const COLUMN_LISTS = 2
const SGD = 3
const SGD_PANELS = 4
const OPS: Record<KernelCall['kernel'], number> = { affine: AFFINE, csc_from_csr: COLUMN_LISTS, sgd: SGD, sgd_panels: SGD_PANELS }
const ATTACH = -1
const STOP = -2
const DETACH_ALL = -3

/**
 * A sleeping thread takes ~40 µs to wake here (futex, virtualised cores), as long as a small
 * share itself: the helper spins this long after each call (a training step's calls come closer
 * than that), and this thread spins while the helper finishes its share, before either sleeps.
 */
const HELPER_SPIN_MS = 0.3
/**
 * A spin reads the clock on every 64th turn (those whose count & CLOCK_MASK is 0): a turn is one
 * atomic load, and the clock is a call that returns a new heap number each time, which a spin of
 * a few hundred microseconds would otherwise turn into a scavenge of the thread's young
 * generation every ~20 ms.
 */
const CLOCK_MASK = 63
const SPIN_MS = 2
/** A helper this late is taken for gone: its share runs here and it is not used again. */
const STALL_MS = 10_000

/** The shared memory that carries calls to a helper thread: pass it to serveKernels there. */
export interface KernelHelperChannel {
  control: SharedArrayBuffer
}

export function newKernelHelperChannel(): KernelHelperChannel {
  return { control: new SharedArrayBuffer(WORDS * 4 + (MAX_ARGS + 1) * 8) }
}

/** What a helper receives to attach a memory: its kernels then run in it. */
export interface AttachMessage {
  memory: WasmMemory
  module: WasmModule
}

export interface KernelHelperOptions {
  /** Called once if the helper stalls past stallMs: it is then given up (terminate it). */
  onGone?: () => void
  stallMs?: number
  /** Called at the first share asked for: the place to start the thread, so that runs with no large product never do. */
  onFirstUse?: () => void
}

/** Runs `call` on this thread. */
export function runKernelCall(kernels: WasmKernels, call: KernelCall): void {
  if (call.kernel === 'affine') kernels.affine(...call.args)
  else if (call.kernel === 'sgd') kernels.sgd(...call.args)
  else if (call.kernel === 'sgd_panels') kernels.sgd_panels(...call.args)
  else kernels.csc_from_csr(...call.args)
}

interface Pending {
  kernels: WasmKernels
  call: KernelCall
  /** Posted to the helper (false: run here at finish). */
  posted: boolean
}

/**
 * This thread's side. `send` delivers a message that the helper's `receive` (serveKernels) can take
 * synchronously, such as a MessagePort's postMessage with receiveMessageOnPort on the other side.
 */
export class KernelHelperClient implements KernelHelper {
  private readonly ctl: Int32Array
  private readonly argv: Float64Array
  private slots = new WeakMap<WasmMemory, number>()
  private nextSlot = 0
  private seq = 0
  private pending: Pending | null = null
  /** When this thread last saw a share of the helper's done. */
  private lastDone = Number.NEGATIVE_INFINITY
  /** No calls go to the helper before this time (performance.now()). */
  private restUntil = Number.NEGATIVE_INFINITY
  private gone = false
  /** false: shares run here, and the helper sleeps (its core is wanted elsewhere). */
  enabled = true

  private readonly onGone: () => void
  private readonly stallMs: number
  private firstUse: (() => void) | null
  /** Whether any share has been asked for (onFirstUse has run). */
  used = false

  constructor(channel: KernelHelperChannel, private readonly send: (message: AttachMessage) => void, options: KernelHelperOptions = {}) {
    this.onGone = options.onGone ?? (() => {})
    this.stallMs = options.stallMs ?? STALL_MS
    this.firstUse = options.onFirstUse ?? null
    this.ctl = new Int32Array(channel.control, 0, WORDS)
    this.argv = new Float64Array(channel.control, WORDS * 4, MAX_ARGS + 1)
  }

  /** True while calls go to the helper thread (false before it is up, after it is gone, and while it rests). */
  get active(): boolean {
    return this.ready && !this.resting
  }

  get ready(): boolean {
    return this.enabled && this.up
  }

  get resting(): boolean {
    return performance.now() < this.restUntil
  }

  rest(ms: number): void {
    this.restUntil = performance.now() + ms
  }

  /** A share has started the thread (onFirstUse ran), which is neither up nor given up yet. */
  get starting(): boolean {
    return this.used && !this.gone && Atomics.load(this.ctl, READY) === 0
  }

  /**
   * Resolves true once the helper is up, false if it is given up or `ms` pass first. A run whose
   * first step has asked for a share waits here once, so that its later steps all have two cores:
   * otherwise the ~0.1 s a worker thread takes to start would run single-threaded.
   */
  async whenUp(ms: number): Promise<boolean> {
    const t0 = performance.now()
    while (this.starting && performance.now() - t0 < ms) await new Promise((resolve) => setTimeout(resolve, 2))
    return this.up
  }

  /** The helper thread runs its loop and has not been given up. */
  private get up(): boolean {
    return !this.gone && Atomics.load(this.ctl, READY) === 1
  }

  start(memory: WasmMemory, module: WasmModule, kernels: WasmKernels, call: KernelCall): void {
    if (this.pending) this.finish()
    this.used = true
    if (this.firstUse) {
      const boot = this.firstUse
      this.firstUse = null
      boot()
    }
    let posted = false
    if (this.active) {
      let slot = this.slots.get(memory)
      if (slot === undefined) {
        slot = this.nextSlot++
        this.send({ memory, module })
        this.post(ATTACH, slot, [])
        if (this.wait() && Atomics.load(this.ctl, FAILED) === 1) this.giveUp()
        this.slots.set(memory, slot)
      }
      if (this.active) {
        this.post(OPS[call.kernel], slot, call.args)
        posted = true
      }
    }
    this.pending = { kernels, call, posted }
  }

  finish(): number {
    const p = this.pending
    if (!p) return Number.NaN
    this.pending = null
    if (p.posted && this.wait()) {
      this.lastDone = performance.now()
      if (Atomics.load(this.ctl, FAILED) === 1) throw new Error('the kernel helper failed in a call it was given')
      return this.argv[ELAPSED]
    }
    // the helper was not up yet, or is gone: the same call, here
    runKernelCall(p.kernels, p.call)
    return Number.NaN
  }

  wake(): void {
    if (this.active) Atomics.notify(this.ctl, SEQ)
  }

  get warm(): boolean {
    // half the helper's spin: it began spinning a little before this thread saw its share done
    return this.active && performance.now() - this.lastDone < HELPER_SPIN_MS / 2
  }

  /**
   * Lets the helper drop every memory it was given (it holds them until then): call when the
   * layers that used it are done with, e.g. before a new run builds its own.
   */
  detachAll(): void {
    this.slots = new WeakMap()
    this.nextSlot = 0
    if (!this.up) return
    this.post(DETACH_ALL, 0, [])
    this.wait()
  }

  /** Ends the helper's loop (its thread then exits). */
  close(): void {
    if (this.gone) return
    if (this.up) this.post(STOP, 0, [])
    this.gone = true
  }

  private giveUp(): void {
    this.gone = true
    this.onGone()
  }

  private post(op: number, slot: number, args: readonly number[]): void {
    const c = this.ctl
    c[OP] = op
    c[SLOT] = slot
    for (let i = 0; i < args.length; i++) this.argv[i] = args[i]
    Atomics.store(c, SEQ, ++this.seq)
    Atomics.notify(c, SEQ)
  }

  /** Waits for the last call; false if the helper stalled (it is then given up). */
  private wait(): boolean {
    const c = this.ctl, seq = this.seq
    const t0 = performance.now()
    for (let spins = 1; Atomics.load(c, DONE) !== seq; spins++) {
      if ((spins & CLOCK_MASK) !== 0) continue
      const waited = performance.now() - t0
      if (waited > this.stallMs) {
        this.giveUp()
        return false
      }
      if (waited > SPIN_MS) Atomics.wait(c, DONE, seq - 1, 100)
    }
    return true
  }
}

/**
 * The helper thread's loop: runs each posted call and reports it done, until STOP. `receive`
 * takes the next attach message synchronously. Never returns while serving.
 */
export function serveKernels(
  channel: KernelHelperChannel,
  receive: () => AttachMessage,
  instantiate: (module: WasmModule, memory: WasmMemory) => WasmKernels,
  /** After the helper drops its memories: a shared memory is freed only by a full collection. */
  collect: () => void = () => {},
): void {
  const c = new Int32Array(channel.control, 0, WORDS)
  const a = new Float64Array(channel.control, WORDS * 4, MAX_ARGS + 1)
  const attached: WasmKernels[] = []
  let seen = Atomics.load(c, SEQ)
  Atomics.store(c, READY, 1)
  for (;;) {
    let t0 = performance.now()
    for (let spins = 1; Atomics.load(c, SEQ) === seen; spins++) {
      if ((spins & CLOCK_MASK) === 0 && performance.now() - t0 > HELPER_SPIN_MS) {
        Atomics.wait(c, SEQ, seen)
        // woken by a call, or by wake(): a call is near
        t0 = performance.now()
      }
    }
    seen = Atomics.load(c, SEQ)
    const op = c[OP]
    if (op === STOP) return
    try {
      if (op === ATTACH) {
        const { memory, module } = receive()
        attached[c[SLOT]] = instantiate(module, memory)
      } else if (op === DETACH_ALL) {
        attached.length = 0
        collect()
      } else {
        const t = performance.now()
        const k = attached[c[SLOT]]
        if (op === AFFINE) k.affine(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10])
        else if (op === SGD) k.sgd(a[0], a[1], a[2], a[3])
        else if (op === SGD_PANELS) k.sgd_panels(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8])
        else k.csc_from_csr(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9])
        a[ELAPSED] = performance.now() - t
      }
      c[FAILED] = 0
    } catch {
      c[FAILED] = 1
    }
    Atomics.store(c, DONE, seen)
    Atomics.notify(c, DONE)
  }
}
