import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from '../../../electron/services/security-headers'

const ROOT = join(import.meta.dirname, '../../..')
/** Directives a <meta> policy ignores (CSP 3, §3.3), so only the header can carry them. */
const HEADER_ONLY = new Set(['frame-ancestors', 'report-uri', 'sandbox'])

/** directive name → its sources, in order. */
function directives(policy: string): Map<string, string> {
  return new Map(policy.split(';').map((d) => d.trim()).filter((d) => d !== '').map((d) => {
    const [name = '', ...sources] = d.split(/\s+/)
    return [name.toLowerCase(), sources.join(' ')]
  }))
}

async function metaPolicy(file: string): Promise<string> {
  const html = await readFile(join(ROOT, file), 'utf8')
  const tags = [...html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"\s*\/?>/gi)]
  expect(tags).toHaveLength(1)
  return tags[0]?.[1] ?? ''
}

describe('the meta CSP and the header CSP', () => {
  const header = directives(CONTENT_SECURITY_POLICY)
  const expected = new Map([...header].filter(([name]) => !HEADER_ONLY.has(name)))

  it('is the header the app and web mode send', () => {
    expect(SECURITY_HEADERS['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY)
    expect(header.get('frame-ancestors')).toBe("'none'")
  })

  it('agree in renderer/index.html: every directive a meta tag can carry, with the same sources', async () => {
    expect(directives(await metaPolicy('renderer/index.html'))).toEqual(expected)
  })

  it('agree in the built page (out/renderer/index.html)', async () => {
    expect(directives(await metaPolicy('out/renderer/index.html'))).toEqual(expected)
  })
})
