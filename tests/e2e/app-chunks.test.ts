/**
 * The built renderer paints the Training tab from its entry chunk and loads every other tab's
 * view as a chunk of its own; Electron's app:// protocol serves each of those chunks with a
 * script (or style) MIME type, as a module import needs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { appResponse } from '../../electron/main/app-protocol'

const RENDERER = resolve(import.meta.dirname, '../../out/renderer')
const built = existsSync(join(RENDERER, 'index.html'))

const LAZY_VIEWS = ['GradCheckView', 'DatasetView', 'ModelView', 'PredictionsView', 'GraphView', 'DrawView', 'Chapter6View', 'LearnedView', 'RunsView', 'SweepView']

/** The entry script index.html loads, and the files it imports by relative URL. */
function entry(): { name: string; imports: string[] } {
  const html = readFileSync(join(RENDERER, 'index.html'), 'utf8')
  const name = /<script[^>]+src="[^"]*assets\/([\w.-]+\.js)"/.exec(html)?.[1]
  if (!name) throw new Error('index.html loads no script from assets/')
  const code = readFileSync(join(RENDERER, 'assets', name), 'utf8')
  return { name, imports: [...new Set([...code.matchAll(/"\.\/([\w.-]+\.(?:js|css))"/g)].map((m) => m[1]))] }
}

describe.skipIf(!built)('built renderer chunks', () => {
  it('keeps every tab but Training out of the entry chunk, one chunk per view', () => {
    const { imports } = entry()
    for (const view of LAZY_VIEWS) expect(imports.some((f) => f.startsWith(`${view}-`) && f.endsWith('.js')), view).toBe(true)
    expect(imports.some((f) => f.startsWith('TrainingView-'))).toBe(false)
    expect(readdirSync(join(RENDERER, 'assets')).filter((f) => f.endsWith('.js'))).toContain(entry().name)
  })

  it('serves the entry and every chunk it imports over app:// with a script or style type', async () => {
    const { name, imports } = entry()
    for (const file of [name, ...imports]) {
      const reply = await appResponse(RENDERER, new Request(`app://studio/assets/${file}`))
      expect(reply.status, file).toBe(200)
      expect(reply.headers.get('content-type'), file).toMatch(file.endsWith('.js') ? /^text\/javascript/ : /^text\/css/)
    }
  })
})
