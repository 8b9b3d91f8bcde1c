/**
 * The message catalogues: English and Japanese have the same keys, every message compiles, the
 * Japanese uses the book's terms, and no component template, component script, composable or
 * renderer helper carries user-visible English (or Japanese) text outside the catalogues.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse as parseSfc } from 'vue/compiler-sfc'
import { NodeTypes, type TemplateChildNode, type ElementNode } from '@vue/compiler-core'
import ts from 'typescript'
import { en } from '../../../renderer/src/i18n/en'
import { ja } from '../../../renderer/src/i18n/ja'
import { i18n, setLocale } from '../../../renderer/src/i18n'

const RENDERER = resolve(import.meta.dirname, '../../../renderer/src')
const COMPONENTS = join(RENDERER, 'components')

function flatten(tree: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k
    if (typeof v === 'string') out.set(key, v)
    else for (const [kk, vv] of flatten(v as object, key)) out.set(kk, vv)
  }
  return out
}

/**
 * Text that is the same in every language: the book's variable and layer names, units and
 * symbols. Anything else with letters in a template must come from the catalogues.
 */
const ALLOWED = new Set([
  'x', 'y', 't', 'W', 'b', 'dx', 'dW', 'db', 'dout', 'W1', 'b1', 'W2', 'b2',
  'ReLU', 'Sigmoid', 'Affine', 'Softmax', 'MNIST', 'SGD', 'Xavier', 'He', 'Momentum', 'Nesterov', 'AdaGrad', 'RMSprop', 'Adam', 'ONNX', 'NumPy', '.npz', '.json', 'W1', '−', '+', '‖W‖', '‖dW‖', 'PNG', 'SVG', 'CSV', 's',
  'px', 'ms', 'it/s', 'e', 'n', 'N', 'lr', 'σ', 'μ', 'KB', 'MB',
])

/** Components not converted yet (each named in the issue report); the list must only shrink. */
const PENDING = new Set<string>([])

/**
 * Words in code: two words in a row, or any Japanese. Single words are too often identifiers
 * ('grid', 'relu') to tell apart from text; the multi-word messages are what a reader meets.
 */
const PROSE = /[A-Za-z]{2,}[,:;.]? [A-Za-z]{2,}|[\u3040-\u30ff\u4e00-\u9fff]/

/** Strings with words in them that no user reads as text. */
const NOT_UI = [
  /^\(prefers-color-scheme: /, // a CSS media query
  /^system-ui, /, // a font stack
  /^linear-gradient\(/, // a CSS gradient
  /^error-box /, // class names
  /^[a-z]+(, [a-z]+)+$/, // identifiers the user types, e.g. the sweep form's 'sgd, adam'
  /^useStudio\(\) needs createStudio\(\)/, // a programming error, thrown before anything renders
]

/** Object properties that hold code shown as code: the book's line and its broken version. */
const CODE_PROPERTIES = new Set(['correct', 'broken'])

const HOLE = '${…}'
const WORD_BEFORE_HOLE = /(^|\s)[A-Za-z]{3,} $/
const WORD_AFTER_HOLE = /^ [A-Za-z]{3,}([\s,.:;]|$)/

/** Bound attributes that never reach a reader. */
const NOT_TEXT_ATTRIBUTES = new Set(['class', 'style', 'key', 'id', 'is', 'ref'])

/** Functions whose first argument is a catalogue key, not text. */
const KEY_FUNCTIONS = new Set(['t', 'msg', 'te'])

/** String literals and the literal parts of template strings in `code` that read as words. */
function proseLiterals(code: string, file: string): string[] {
  const src = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true)
  const found: string[] = []
  const exempt = (node: ts.Node): boolean => {
    const p = node.parent
    if (ts.isImportDeclaration(p) || ts.isExportDeclaration(p) || ts.isImportTypeNode(p.parent)) return true
    if (ts.isCallExpression(p) && p.arguments[0] === node) {
      const callee = p.expression
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : ''
      if (KEY_FUNCTIONS.has(name)) return true
    }
    return ts.isPropertyAssignment(p) && p.initializer === node && CODE_PROPERTIES.has(p.name.getText(src))
  }
  const prose = (text: string) => PROSE.test(text) && !NOT_UI.some((r) => r.test(text))
  const visit = (node: ts.Node) => {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && !exempt(node) && prose(node.text)) found.push(node.text.trim())
    if (ts.isTemplateExpression(node) && !exempt(node)) {
      // a word beside a placeholder is text too: `Compare ${name}`, `${name} test`
      const parts = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)]
      const wordy = parts.some((part, i) => prose(part) || (i < parts.length - 1 && WORD_BEFORE_HOLE.test(part)) || (i > 0 && WORD_AFTER_HOLE.test(part)))
      if (wordy) found.push(parts.join(HOLE).trim())
    }
    ts.forEachChild(node, visit)
  }
  visit(src)
  return found
}

/**
 * Literal letters in text nodes and in static aria-label, title, placeholder and alt attributes,
 * and words in the strings of bound attributes, interpolations and the <script> blocks.
 */
function hardCoded(file: string): string[] {
  const { descriptor } = parseSfc(readFileSync(file, 'utf8'), { filename: file })
  const found: string[] = []
  for (const block of [descriptor.script, descriptor.scriptSetup]) if (block) found.push(...proseLiterals(block.content, file))
  const ast = descriptor.template?.ast
  if (!ast) return found
  const letters = /[A-Za-z\u3040-\u30ff\u4e00-\u9fff]/
  const check = (text: string) => {
    const s = text.replace(/\s+/g, ' ').trim()
    if (s && letters.test(s) && !ALLOWED.has(s)) found.push(s)
  }
  const walk = (nodes: TemplateChildNode[]) => {
    for (const node of nodes) {
      if (node.type === NodeTypes.TEXT) check(node.content)
      if (node.type === NodeTypes.INTERPOLATION && node.content.type === NodeTypes.SIMPLE_EXPRESSION) found.push(...proseLiterals(node.content.content, file))
      if (node.type === NodeTypes.ELEMENT) {
        const el = node as ElementNode
        // <style>-free SVG text such as <text> labels still counts; <code> and <kbd> show code and keys
        if (el.tag === 'code' || el.tag === 'kbd') continue
        for (const p of el.props) {
          if (p.type === NodeTypes.ATTRIBUTE && ['aria-label', 'title', 'placeholder', 'alt', 'aria-description', 'label', 'hint', 'note'].includes(p.name) && p.value) check(p.value.content)
          const arg = p.type === NodeTypes.DIRECTIVE && p.arg?.type === NodeTypes.SIMPLE_EXPRESSION ? p.arg.content : ''
          if (p.type === NodeTypes.DIRECTIVE && p.exp?.type === NodeTypes.SIMPLE_EXPRESSION && !NOT_TEXT_ATTRIBUTES.has(arg) && !arg.startsWith('data-')) {
            found.push(...proseLiterals(p.exp.content, file))
          }
        }
        walk(el.children)
      }
    }
  }
  walk(ast.children)
  return found
}

describe('message catalogues', () => {
  const enKeys = flatten(en)
  const jaKeys = flatten(ja)

  it('have the same keys in English and Japanese, none empty', () => {
    expect([...jaKeys.keys()].sort()).toEqual([...enKeys.keys()].sort())
    for (const [key, text] of [...enKeys, ...jaKeys]) expect(text.trim(), key).not.toBe('')
  })

  it('compile every message in both languages without error', () => {
    for (const locale of ['en', 'ja'] as const) {
      setLocale(locale)
      for (const key of enKeys.keys()) {
        const text = i18n.global.t(key, { name: 'N', message: 'M' })
        expect(text, `${locale} ${key}`).not.toBe(key)
      }
    }
    setLocale('en')
  })

  it('uses the book\'s Japanese terms', () => {
    const all = [...jaKeys.values()].join('\n')
    for (const term of ['誤差逆伝播法', '計算グラフ', '勾配確認', '学習率', 'バッチサイズ', '損失関数', '認識精度']) {
      expect(all.includes(term), term).toBe(true)
    }
  })

  it('leave no user-visible text hard-coded in component templates and scripts', () => {
    const files = readdirSync(COMPONENTS).filter((f) => f.endsWith('.vue'))
    const offenders = files
      .filter((f) => !PENDING.has(f))
      .map((f) => ({ file: f, texts: hardCoded(join(COMPONENTS, f)) }))
      .filter((o) => o.texts.length > 0)
    expect(offenders.map((o) => `${o.file}: ${o.texts.join(' | ')}`)).toEqual([])
  })

  it('leave no user-visible text in composables and renderer helpers (notifier messages, validation, labels)', () => {
    const files = ['composables', 'lib'].flatMap((dir) => readdirSync(join(RENDERER, dir)).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f)))
    files.push('main.ts')
    const offenders = files
      .map((f) => ({ file: f, texts: proseLiterals(readFileSync(join(RENDERER, f), 'utf8'), f) }))
      .filter((o) => o.texts.length > 0)
    expect(offenders.map((o) => `${o.file}: ${o.texts.join(' | ')}`)).toEqual([])
  })

  it('finds hard-coded words where it looks: a notifier call, a bound attribute, a template string', () => {
    expect(proseLiterals("notifier.info('Model saved', path)", 'x.ts')).toEqual(['Model saved'])
    expect(proseLiterals("notifier.info(t('notify.modelSaved'), path)", 'x.ts')).toEqual([])
    expect(proseLiterals('`Compare ${r.name}`', 'x.ts')).toEqual(['Compare ${…}'])
    expect(proseLiterals('`${a} = ${b}`', 'x.ts')).toEqual([])
    expect(proseLiterals("t(`runs.status.${s}`)", 'x.ts')).toEqual([])
    expect(proseLiterals("const s = '学習率'", 'x.ts')).toEqual(['学習率'])
  })

  it('words the messages made outside templates in the current language: validation, verdicts, sweep lists, bug notes', async () => {
    const { checkTrainForm, formFromConfig } = await import('../../../renderer/src/lib/train-form')
    const { verdictExplanation, gradcheckRule } = await import('../../../renderer/src/lib/gradcheck-verdict')
    const { sweepSpecFromForm, SWEEP_FORM_DEFAULTS } = await import('../../../renderer/src/lib/sweep-form')
    const { bugLabel } = await import('../../../renderer/src/lib/gradient-bug-notes')
    const { BOOK_TRAINING } = await import('../../../shared/engine/train-config')
    const form = { ...formFromConfig(BOOK_TRAINING), iters: '12x' }
    const data = { inputSize: 784, classes: 10, trainCount: 60000 }
    const row = { name: 'W1', shape: [4, 5], count: 20, kinks: 2, meanAbs: 1e-2, maxAbs: 3e-2, maxRel: 1 }
    const sweepError = () => { try { sweepSpecFromForm({ ...SWEEP_FORM_DEFAULTS, lr: '0.1, x' }, BOOK_TRAINING); return '' } catch (e) { return (e as Error).message } }
    const badLr = { ...formFromConfig(BOOK_TRAINING), lr: '0', hidden: '50, 5000' }
    setLocale('ja')
    expect(checkTrainForm(form, data).errors.iters).toBe('“12x” は数値ではありません')
    expect(checkTrainForm(badLr, data).errors.lr).toBe('0 より大きく 100 以下の数にしてください(入力: 0)')
    expect(checkTrainForm(badLr, data).errors.hidden).toBe('第 2 層: 1 から 4096 までの整数にしてください(入力: 5000)')
    expect(checkTrainForm(formFromConfig(BOOK_TRAINING), null).errors.dataset).toBe(ja.validation.noDataset)
    expect(verdictExplanation(row)).toMatch(/^誤差逆伝播法と数値微分の勾配が一致しません。W1 の.* 2 要素をスキップ/)
    expect(gradcheckRule()).toMatch(/^合格: 平均 \|Δ\| < /)
    expect(sweepError()).toBe('学習率: “x” は数値ではありません')
    expect(bugLabel('db-not-summed')).toBe(ja.bugs['db-not-summed'].label)
    setLocale('en')
    expect(checkTrainForm(form, data).errors.iters).toBe('“12x” is not a number')
    expect(checkTrainForm(badLr, data).errors.lr).toBe('must be a number > 0 and ≤ 100, got 0')
    expect(verdictExplanation(row)).toMatch(/^Backprop and the numerical gradient disagree: the backward pass of W1 .* 2 elements skipped/)
    expect(sweepError()).toBe('lr: “x” is not a number')
    expect(bugLabel('db-not-summed')).toBe('db not summed over the batch')
  })

  it('switches Intl number formats and percent style with the language', async () => {
    const { formatInt, formatPercent } = await import('../../../renderer/src/lib/format')
    setLocale('en')
    expect(formatInt(42_000)).toBe('42,000')
    expect(formatPercent(0.9712)).toBe('97.12 %')
    setLocale('ja')
    expect(formatInt(42_000)).toBe(new Intl.NumberFormat('ja-JP').format(42_000))
    expect(formatPercent(0.9712)).toBe('97.12%')
    setLocale('en')
  })
})
