/**
 * Display formatting in the UI language (numberLocale() reads the reactive i18n locale, so a
 * computed that formats re-runs when the language changes). '—' stands for a value not there yet.
 */
import { currentLocale, numberLocale } from '../i18n'

const DASH = '—'

const intFormats = new Map<string, Intl.NumberFormat>()

/** 42_000 → "42,000" */
export function formatInt(n: number): string {
  if (!Number.isFinite(n)) return DASH
  const tag = numberLocale()
  let format = intFormats.get(tag)
  if (!format) intFormats.set(tag, format = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 }))
  return format.format(Math.round(n))
}

/** Milliseconds as m:ss or h:mm:ss. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return DASH
  const total = Math.round(ms / 1000)
  const h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60
  const ss = String(s).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`
}

/** 0.9712 → "97.12 %" (Japanese writes "97.12%"). */
export function formatPercent(fraction: number, digits = 2): string {
  if (!Number.isFinite(fraction)) return DASH
  return `${(fraction * 100).toFixed(digits)}${currentLocale() === 'ja' ? '%' : ' %'}`
}

/** Small magnitudes in scientific notation: 3.2e-9; zero as 0. */
export function formatSci(x: number, digits = 2): string {
  if (!Number.isFinite(x)) return DASH
  if (x === 0) return '0'
  return x.toExponential(digits).replace('e+', 'e')
}

/** A value like a loss or a learning rate: 4 significant digits. */
export function formatValue(x: number): string {
  if (!Number.isFinite(x)) return DASH
  return Math.abs(x) >= 1e-3 && Math.abs(x) < 1e5 ? String(Number(x.toPrecision(4))) : formatSci(x)
}

export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return DASH
  return perSecond >= 100 ? formatInt(perSecond) : perSecond.toFixed(1)
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return DASH
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

/** An ISO date as local date and time, minutes precision. */
export function formatDate(iso: string | null): string {
  if (!iso) return DASH
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return DASH
  return d.toLocaleString(numberLocale(), { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })
}

/** The last path component, for either separator. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/).filter(Boolean)
  return parts.length ? parts[parts.length - 1] : path
}
