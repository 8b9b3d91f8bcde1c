/**
 * The UI language. Messages live in en.ts and ja.ts with the same keys; vue-i18n compiles them
 * just in time without eval (v10+), so the renderer's CSP needs no 'unsafe-eval'.
 * Components call the global `t` directly, which tracks the locale in render like $t does.
 */
import { createI18n } from 'vue-i18n'
import { en } from './en'
import { ja } from './ja'

export const LOCALES = ['en', 'ja'] as const
export type UiLocale = (typeof LOCALES)[number]

const STORAGE_KEY = 'backprop-studio.locale'

function isLocale(value: unknown): value is UiLocale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

/** The remembered choice, else the system's language (Electron sets navigator.language from the app locale). */
export function initialLocale(): UiLocale {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY)
    if (isLocale(saved)) return saved
  } catch { /* storage may be blocked; the system language still applies */ }
  const system = globalThis.navigator?.language ?? 'en'
  return system.toLowerCase().startsWith('ja') ? 'ja' : 'en'
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'en',
  messages: { en, ja },
})

export const t = i18n.global.t

export function currentLocale(): UiLocale {
  return i18n.global.locale.value
}

/** Switches the language, remembers it and tells assistive technology through <html lang>. */
export function setLocale(locale: UiLocale): void {
  i18n.global.locale.value = locale
  try { globalThis.localStorage?.setItem(STORAGE_KEY, locale) } catch { /* not remembered, still switched */ }
  if (typeof document !== 'undefined') document.documentElement.lang = locale
}

/** BCP 47 tag for Intl formatting in the current language. */
export function numberLocale(): string {
  return currentLocale() === 'ja' ? 'ja-JP' : 'en-US'
}

export { isLocale }
