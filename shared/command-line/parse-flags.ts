import { UsageError } from './usage-error'

export type FlagKind = 'string' | 'boolean'

/** Splits `--name value` and `--name=value` pairs, refusing unknown flags and missing values. */
export function parseFlags(argv: readonly string[], spec: Record<string, FlagKind>): Map<string, string | true> {
  const out = new Map<string, string | true>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`)
    const eq = arg.indexOf('=')
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2)
    const kind = spec[name]
    if (!kind) throw new UsageError(`--${name}: unknown flag (known: ${Object.keys(spec).map((k) => `--${k}`).join(', ')})`)
    if (out.has(name)) throw new UsageError(`--${name}: given twice`)
    if (kind === 'boolean') {
      if (eq > 0) throw new UsageError(`--${name}: takes no value`)
      out.set(name, true)
      continue
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i]
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`--${name}: missing value`)
    out.set(name, value)
  }
  return out
}

/** A flag's number; anything that is not a plain decimal number is refused, naming the flag. */
export function numberFlag(flags: Map<string, string | true>, name: string, fallback: number): number {
  const v = flags.get(name)
  if (v === undefined) return fallback
  const s = String(v).trim()
  const n = s === '' ? Number.NaN : Number(s)
  if (!Number.isFinite(n)) throw new UsageError(`--${name}: expected a number, got ${JSON.stringify(v)}`)
  return n
}

export function stringFlag(flags: Map<string, string | true>, name: string): string | undefined {
  const v = flags.get(name)
  return v === undefined ? undefined : String(v)
}
