// Which texts need a Chinese translation, and which catalog says each: read from the code by
// the TypeScript compiler (every t`…`, t('…') and tr('…'), and every `why: '…'` a check or an
// expectation is given), and from the registry and the checks as they load (check names,
// titles, hints). dev:check, `npm run i18n` and test/i18n.test.ts all ask this file.

import { existsSync, readFileSync, readdirSync } from 'node:fs'
import type ts from 'typescript'
import { dirname, join, relative } from 'node:path'
import { lessons } from '../../lessons/index.ts'
import { checksFor } from '../engine/grade.ts'
import { projectRoot } from '../engine/paths.ts'
import { catalogFiles, keyOf, readCatalog } from './lang.ts'

export interface Use {
  key: string
  /** Where the text is: `checks/engine/expect.ts:41`, or `lessons/index.ts (lesson-1 hint 2)`. */
  at: string
  /** The catalog it belongs in, relative to the root. */
  catalog: string
}

export interface CatalogProblem {
  catalog: string
  key: string
  problem: 'missing' | 'empty' | 'unused' | 'placeholders' | 'untranslated' | 'conflict'
  at?: string
}

/** Source folders whose texts a learner or a maintainer reads. */
const SOURCES = ['checks', 'site']

function sourceFiles(root: string): string[] {
  const files: string[] = []
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) {
        if (!['dist', 'dist.next', 'node_modules', 'diagrams'].includes(entry.name)) walk(path)
      } else if (/\.(ts|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(path)
    }
  }
  for (const top of SOURCES) walk(join(root, top))
  return files.sort()
}

/** The catalog of a source file: zh-CN.json in its own folder. */
export const catalogFor = (root: string, file: string) => relative(root, join(dirname(file), 'zh-CN.json'))

/** Every text the code says, by the TypeScript compiler's reading of it. */
export async function textsInCode(root = projectRoot): Promise<Use[]> {
  const ts = (await import('typescript')).default
  const uses: Use[] = []
  for (const file of sourceFiles(root)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
    const catalog = catalogFor(root, file)
    const add = (node: ts.Node, key: string) => {
      const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1
      if (key.trim()) uses.push({ key, at: `${relative(root, file)}:${line}`, catalog })
    }
    const literal = (node: ts.Node): string | undefined => (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) ? node.text : undefined)
    const visit = (node: ts.Node) => {
      if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && node.tag.text === 't') {
        const template = node.template
        add(node, ts.isNoSubstitutionTemplateLiteral(template) ? template.text : keyOf([template.head.text, ...template.templateSpans.map((span) => span.literal.text)]))
      } else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && ['t', 'tr'].includes(node.expression.text) && node.arguments[0]) {
        const text = literal(node.arguments[0])
        if (text !== undefined) add(node, text)
      } else if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === 'why') {
        const text = literal(node.initializer)
        if (text !== undefined) add(node, text)
      }
      ts.forEachChild(node, visit)
    }
    visit(source)
  }
  return uses
}

/** Every name kept in English that a learner reads: lesson and exercise titles, hints, and the
 * names of every check, as the checks declare them. */
export async function textsInRegistry(root = projectRoot): Promise<Use[]> {
  const uses: Use[] = []
  for (const lesson of lessons) {
    const catalog = relative(root, join(root, 'checks', 'lessons', lesson.id, 'zh-CN.json'))
    uses.push({ key: lesson.title, at: `lessons/index.ts (${lesson.id} title)`, catalog })
    for (const exercise of lesson.exercises) {
      const at = `lessons/index.ts (${lesson.id}/${exercise.id}`
      uses.push({ key: exercise.title, at: `${at} title)`, catalog })
      exercise.hints.forEach((hint, i) => uses.push({ key: hint, at: `${at} hint ${i + 1})`, catalog }))
      const checks = await checksFor(lesson, exercise)
      for (const check of checks?.build() ?? []) {
        uses.push({ key: check.name, at: `checks/lessons/${lesson.id}/${exercise.id}.ts (check)`, catalog })
        if (check.explain.why) uses.push({ key: check.explain.why, at: `checks/lessons/${lesson.id}/${exercise.id}.ts (why)`, catalog })
      }
    }
  }
  return uses
}

const placeholders = (text: string) => new Set(text.match(/\{\d+\}/g) ?? [])
// Chinese prose has few Latin words in a row; three or more is an English sentence left behind.
const englishRun = /(?:\b[A-Za-z]{2,}\b[ ,]+){3,}\b[A-Za-z]{2,}/

/** What is wrong with the catalogs: a text with no translation (or an empty one), a
 * translation of a text nobody says any more, and a translation that drops or invents a
 * placeholder. */
export async function catalogProblems(root = projectRoot): Promise<{ problems: CatalogProblem[]; uses: Use[] }> {
  const uses = [...(await textsInCode(root)), ...(await textsInRegistry(root))]
  const problems: CatalogProblem[] = []
  const catalogs = new Map(catalogFiles(root).map((file) => [relative(root, file), readCatalog(file)]))
  const wanted = new Map<string, Set<string>>()
  for (const use of uses) {
    if (!wanted.has(use.catalog)) wanted.set(use.catalog, new Set())
    const keys = wanted.get(use.catalog)!
    if (keys.has(use.key)) continue
    keys.add(use.key)
    const text = catalogs.get(use.catalog)?.[use.key]
    if (text === undefined) problems.push({ catalog: use.catalog, key: use.key, problem: 'missing', at: use.at })
    else if (!text.trim()) problems.push({ catalog: use.catalog, key: use.key, problem: 'empty', at: use.at })
    else {
      const [en, zh] = [placeholders(use.key), placeholders(text)]
      if ([...zh].some((p) => !en.has(p)) || [...en].some((p) => !zh.has(p))) problems.push({ catalog: use.catalog, key: use.key, problem: 'placeholders', at: use.at })
      // A key that is itself Chinese, or code, may stay as it is; English prose may not.
      else if (text === use.key && englishRun.test(use.key.replace(/`[^`]*`/g, ''))) problems.push({ catalog: use.catalog, key: use.key, problem: 'untranslated', at: use.at })
    }
  }
  for (const [catalog, entries] of catalogs) {
    for (const key of Object.keys(entries)) if (!wanted.get(catalog)?.has(key)) problems.push({ catalog, key, problem: 'unused' })
  }
  // The catalogs are one lookup: a text said in two places has one Chinese, or one of them
  // would be shown in the other's place.
  const first = new Map<string, { catalog: string; text: string }>()
  for (const [catalog, entries] of catalogs) {
    for (const [key, text] of Object.entries(entries)) {
      const earlier = first.get(key)
      if (!text) continue
      if (!earlier) first.set(key, { catalog, text })
      else if (earlier.text !== text) problems.push({ catalog, key, problem: 'conflict', at: `${earlier.catalog} says ${JSON.stringify(earlier.text)}, this one ${JSON.stringify(text)}` })
    }
  }
  return { problems, uses }
}

export const catalogExists = (root: string, catalog: string) => existsSync(join(root, catalog))
