// The language netlings speaks: English or 简体中文, chosen once per process, before anything
// is said. Every text a learner reads is English in the code and looked up, by that English,
// in a Chinese catalog: checks/text/zh-CN.json for the grader and the tools, and
// checks/lessons/<lesson>/zh-CN.json for one lesson (its check names, texts, title and hints).
// An English text is its own key, as in gettext: when someone edits it, its translation no
// longer matches, and test/i18n.test.ts names it. Nothing falls back to a `?key?`.
//
// Two ways in:
//   t`expected ${count} lines`  a text built here, with values: its key is "expected {0} lines"
//   tr(name)                    a name kept as English (a check's name, an exercise's title, a
//                               hint), which reports for machines keep as a stable id

import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { projectRoot } from '../engine/paths.ts'

export const LANGS = ['en', 'zh-CN'] as const
export type Lang = (typeof LANGS)[number]

/** `--lang X` or `--lang=X` among the arguments, as given (undefined when absent). */
export function langFlag(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--') break
    if (argv[i] === '--lang') return argv[i + 1] ?? ''
    if (argv[i]!.startsWith('--lang=')) return argv[i]!.slice('--lang='.length)
  }
  return undefined
}

/** The arguments without their --lang: the front door takes it, for every command at once. */
export function withoutLangFlag(argv: readonly string[]): string[] {
  const rest: string[] = []
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--') {
      rest.push(...argv.slice(i))
      break
    }
    if (argv[i] === '--lang') i++
    else if (!argv[i]!.startsWith('--lang=')) rest.push(argv[i]!)
  }
  return rest
}

let current: Lang = 'en'

export const lang = (): Lang => current

/** Also exported to the programs netlings starts (child graders, the type checker), so they
 * speak the same language. */
export function setLang(chosen: Lang): void {
  current = chosen
  process.env.NETLINGS_LANG = chosen
}

/** `zh-CN`, `zh`, `zh_CN.UTF-8`, `ZH-cn` → zh-CN; `en…` → en; anything else: undefined. */
export function parseLang(value: string | undefined): Lang | undefined {
  const code = value?.trim().toLowerCase()
  if (!code) return undefined
  if (/^zh([-_.@]|$)/.test(code)) return 'zh-CN'
  if (/^en([-_.@]|$)/.test(code)) return 'en'
  return undefined
}

/** The locale's language, as the C library reads it: LC_ALL, then LC_MESSAGES, then LANG. A
 * locale that is not Chinese (C, POSIX, en_US, de_DE …) means English. */
export function localeLang(env: NodeJS.ProcessEnv = process.env): Lang {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || ''
  return /^zh/i.test(locale) ? 'zh-CN' : 'en'
}

/** What was remembered by the menu, in .netlings/settings.json. */
export const settingsFile = process.env.NETLINGS_SETTINGS ?? join(projectRoot, '.netlings', 'settings.json')

export function rememberedLang(file = settingsFile): Lang | undefined {
  try {
    return parseLang((JSON.parse(readFileSync(file, 'utf8')) as { lang?: string }).lang)
  } catch {
    return undefined
  }
}

/** --lang, else NETLINGS_LANG, else the menu's choice, else the locale, else English. An
 * unknown --lang or NETLINGS_LANG is an error, for the one clear line the front door prints. */
export function chooseLang(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Lang {
  if (flag !== undefined) {
    const chosen = parseLang(flag)
    if (!chosen) throw new LangError(`--lang wants en or zh-CN, not "${flag}"`)
    return chosen
  }
  if (env.NETLINGS_LANG) {
    const chosen = parseLang(env.NETLINGS_LANG)
    if (!chosen) throw new LangError(`NETLINGS_LANG wants en or zh-CN, not "${env.NETLINGS_LANG}"`)
    return chosen
  }
  return rememberedLang() ?? localeLang(env)
}

export class LangError extends Error {}

// --- Catalogs ----------------------------------------------------------------------------

export type Catalog = Record<string, string>

/** Where the Chinese catalogs are: a zh-CN.json in the folder of the code that says the text
 * (checks/engine/zh-CN.json, checks/lessons/lesson-3/zh-CN.json, site/zh-CN.json). A lesson's
 * registry entry (its title, exercise titles and hints) is its checks folder's. */
export function catalogFiles(root = projectRoot): string[] {
  const files: string[] = []
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.isDirectory()) {
        if (!['dist', 'dist.next', 'node_modules'].includes(entry.name)) walk(join(dir, entry.name))
      }
      else if (entry.name === 'zh-CN.json') files.push(join(dir, entry.name))
    }
  }
  for (const top of ['checks', 'site']) if (existsSync(join(root, top))) walk(join(root, top))
  return files
}

export function readCatalog(file: string): Catalog {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Catalog) : {}
}

let chinese: Map<string, string> | undefined

function catalog(): Map<string, string> {
  if (!chinese) {
    chinese = new Map()
    for (const file of catalogFiles()) for (const [key, text] of Object.entries(readCatalog(file))) if (text) chinese.set(key, text)
  }
  return chinese
}

/** A template's key: its literal parts joined by {0}, {1} … where its values go. */
export function keyOf(strings: readonly string[]): string {
  return strings.reduce((key, part, i) => (i === 0 ? part : `${key}{${i - 1}}${part}`), '')
}

/** A text with {0}, {1} … filled in. */
function fill(text: string, values: readonly unknown[]): string {
  return text.replace(/\{(\d+)\}/g, (whole, n: string) => (Number(n) < values.length ? String(values[Number(n)]) : whole))
}

/** A text a learner reads, in the chosen language. */
export function t(strings: TemplateStringsArray | string, ...values: unknown[]): string {
  return tIn(current)(strings, ...values)
}

/** `t` in a given language, whatever the process speaks: the site builds both. Name it `t`
 * where it is used (`const t = tIn(lang)`), so that the catalog audit finds its texts. */
export function tIn(chosen: Lang): (strings: TemplateStringsArray | string, ...values: unknown[]) => string {
  return (strings, ...values) => {
    if (typeof strings === 'string') return trIn(chosen, strings)
    if (chosen === 'en') return String.raw({ raw: strings }, ...values)
    const text = catalog().get(keyOf(strings))
    return text === undefined ? String.raw({ raw: strings }, ...values) : fill(text, values)
  }
}

/** A name kept in English (a check's, an exercise's title, a hint), in the chosen language. */
export function tr(english: string): string {
  if (current === 'en') return english
  return catalog().get(english) ?? english
}

/** The text in a given language, whatever the process speaks: the site builds both. */
export function trIn(chosen: Lang, english: string): string {
  return chosen === 'en' ? english : (catalog().get(english) ?? english)
}

// Chosen as this module loads, before any text is made: modules that build a text when they
// load (a table's heading) speak the right language too. A wrong --lang leaves English here;
// the front door then says what is wrong, in one line, and exits.
try {
  current = chooseLang(langFlag(process.argv.slice(2)))
} catch {
  current = 'en'
}
