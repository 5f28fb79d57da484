// A lesson's Chinese README beside its English one, kept in step. Under each Chinese heading
// is a line naming the English section it translates and a hash of that section's English
// text as it was when translated:
//
//     ## 主机和端口
//     <!-- en: host-and-port 5d41402abc -->
//
// When someone edits the English section, its hash no longer matches, and dev:check and the
// test suite name the section and show what changed in the English since (the old text is
// found in git's history by its hash). After the translation is brought up to date,
// `npm run i18n -- stamp <lesson>` records the new hash. A new translation is written with the
// line and no hash (`<!-- en: host-and-port -->`), and stamped the same way.

import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { anchorOf } from './sections.ts'

export const CHINESE_README = 'README.zh-CN.md'

/** One section of a README: its heading and everything up to the next heading. */
export interface Part {
  title: string
  depth: number
  /** The heading's line number, 1-based. */
  line: number
  /** The heading line and the body, as written. */
  text: string
  /** English: the heading's anchor. Chinese: the anchor its `<!-- en: … -->` line names. */
  anchor?: string
  /** Chinese only: the hash its `<!-- en: … -->` line records. */
  hash?: string
}

const SYNC_LINE = /^<!-- en: ([^\s]+)(?: ([0-9a-f]{10}))? -->\s*$/

/** The sections of a Markdown text, fenced code skipped (a `# comment` in a shell block is no
 * heading). The text before the first heading belongs to no section and is not kept. */
export function partsOf(markdown: string): Part[] {
  const parts: Part[] = []
  let fenced = false
  const lines = markdown.split('\n')
  lines.forEach((line, index) => {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced
    const heading = fenced ? null : /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line)
    if (heading) {
      const title = heading[2]!.replace(/`/g, '')
      parts.push({ title, depth: heading[1]!.length, line: index + 1, text: line, anchor: anchorOf(title) })
    } else if (parts.length > 0) parts[parts.length - 1]!.text += `\n${line}`
  })
  for (const part of parts) part.text = part.text.replace(/\s+$/, '')
  return parts
}

/** The hash a translation records: of the English section's text, trailing spaces ignored. */
export const hashOf = (text: string) =>
  createHash('sha256')
    .update(text.split('\n').map((line) => line.trimEnd()).join('\n').trim())
    .digest('hex')
    .slice(0, 10)

/** The Markdown without its sync lines, for a reader. */
export const withoutSyncLines = (markdown: string) =>
  markdown
    .split('\n')
    .filter((line) => !SYNC_LINE.test(line))
    .join('\n')

/** The Chinese sections, each with the English anchor and hash its sync line records. */
export function chineseParts(markdown: string): Part[] {
  return partsOf(markdown).map((part) => {
    const sync = SYNC_LINE.exec(part.text.split('\n')[1] ?? '')
    return { ...part, anchor: sync?.[1], hash: sync?.[2] }
  })
}

/** A line of code without its comment (`// …`, or a shell's `# …`), which a translation may
 * translate. */
const withoutComment = (line: string) => line.replace(/\s*\/\/.*$/, '').replace(/(^|\s)#\s.*$/, '').trimEnd()

/** Fenced code blocks of a section, each as its lines, comments left out. */
function codeOf(text: string): string[] {
  const blocks: string[] = []
  let block: string[] | undefined
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) {
      if (block) {
        blocks.push(block.map(withoutComment).join('\n'))
        block = undefined
      } else block = [line.trim()]
    } else if (block) block.push(line)
  }
  return blocks
}

const countOf = (text: string, pattern: RegExp) => text.split('\n').filter((line) => pattern.test(line)).length
// Outside code: list items and table rows, which carry a lesson's steps and its grids.
const prose = (text: string) => text.replace(/^\s*(```|~~~)[\s\S]*?^\s*(```|~~~)/gm, '')

export interface SyncProblem {
  /** The Chinese README's section (or the English one, when it has no translation). */
  section: string
  problem: string
  /** For a stale translation: what changed in the English since, as diff lines. */
  diff?: string[]
}

/**
 * What keeps a Chinese README from being a complete, current translation of the English:
 * sections in one language only, in another order or depth, code that differs, steps or rows
 * missing, and sections whose English changed since they were translated. `history` finds the
 * English as it was, for the diff.
 */
export function syncProblems(english: string, chinese: string, history?: (hash: string, anchor: string) => string | undefined): SyncProblem[] {
  const problems: SyncProblem[] = []
  const en = partsOf(english)
  const zh = chineseParts(chinese)
  const byAnchor = new Map(en.map((part) => [part.anchor!, part]))
  const translated = new Set<string>()
  zh.forEach((part, index) => {
    const where = `§ ${part.title} (line ${part.line})`
    if (!part.anchor) return problems.push({ section: where, problem: 'has no <!-- en: anchor --> line under its heading, naming the English section it translates' })
    const source = byAnchor.get(part.anchor)
    if (!source) return problems.push({ section: where, problem: `names the English section "${part.anchor}", which the English README does not have` })
    if (translated.has(part.anchor)) return problems.push({ section: where, problem: `translates "${part.anchor}" a second time` })
    translated.add(part.anchor)
    if (en[index]?.anchor !== part.anchor) problems.push({ section: where, problem: `is section ${index + 1} here, but "${source.title}" is section ${en.indexOf(source) + 1} in English: keep the English order` })
    if (source.depth !== part.depth) problems.push({ section: where, problem: `is a level-${part.depth} heading; "${source.title}" is level ${source.depth}` })
    const [enCode, zhCode] = [codeOf(source.text), codeOf(part.text)]
    if (enCode.length !== zhCode.length) problems.push({ section: where, problem: `has ${zhCode.length} code blocks; "${source.title}" has ${enCode.length}` })
    else enCode.forEach((code, i) => code !== zhCode[i] && problems.push({ section: where, problem: `code block ${i + 1} differs from the English one (only comments may be translated)` }))
    for (const [what, pattern] of [
      ['list items', /^\s*([-*+]|\d+\.)\s/],
      ['table rows', /^\s*\|/],
    ] as const) {
      const [a, b] = [countOf(prose(source.text), pattern), countOf(prose(part.text), pattern)]
      if (a !== b) problems.push({ section: where, problem: `has ${b} ${what}; "${source.title}" has ${a}` })
    }
    const now = hashOf(source.text)
    if (!part.hash) problems.push({ section: where, problem: `is not stamped: once it translates "${source.title}" as it is, run npm run i18n -- stamp` })
    else if (part.hash !== now) {
      const before = history?.(part.hash, part.anchor)
      problems.push({
        section: where,
        problem: `translates "${source.title}" as it was before the English changed: bring it up to date, then run npm run i18n -- stamp`,
        diff: before === undefined ? undefined : lineDiff(before, source.text),
      })
    }
  })
  for (const part of en) if (!translated.has(part.anchor!)) problems.push({ section: `§ ${part.title}`, problem: 'is in English only: the Chinese README has no section translating it' })
  return problems
}

/** The Chinese README with every translated section's sync line carrying the hash of its
 * English as it is now. Only `anchors` when given; sections naming no English section are
 * left alone. */
export function stamp(english: string, chinese: string, anchors?: string[]): string {
  const hashes = new Map(partsOf(english).map((part) => [part.anchor!, hashOf(part.text)]))
  let fenced = false
  return chinese
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) fenced = !fenced
      const sync = fenced ? null : SYNC_LINE.exec(line)
      if (!sync || (anchors && !anchors.includes(sync[1]!))) return line
      const hash = hashes.get(sync[1]!)
      return hash ? `<!-- en: ${sync[1]} ${hash} -->` : line
    })
    .join('\n')
}

/** The English section as it was when its hash was `hash`, from git's history of the file. */
export function fromHistory(root: string, file: string): (hash: string, anchor: string) => string | undefined {
  let commits: string[] | undefined
  return (hash, anchor) => {
    try {
      commits ??= execFileSync('git', ['log', '--format=%H', '--', file], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n').filter(Boolean)
      for (const commit of commits) {
        const text = execFileSync('git', ['show', `${commit}:${file}`], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 24 })
        const part = partsOf(text).find((p) => p.anchor === anchor && hashOf(p.text) === hash)
        if (part) return part.text
      }
    } catch {
      // No git, or a shallow clone: the problem is still named, without the diff.
    }
    return undefined
  }
}

/** A line diff, `-` for lines gone and `+` for lines new, with a line of context around. */
export function lineDiff(before: string, after: string): string[] {
  const a = before.split('\n')
  const b = after.split('\n')
  // Longest common subsequence, from the end: sections are short.
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0))
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!)
  const out: { mark: ' ' | '-' | '+'; line: string }[] = []
  let [i, j] = [0, 0]
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) out.push({ mark: ' ', line: a[i++]! }), j++
    else if (i < a.length && (j === b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) out.push({ mark: '-', line: a[i++]! })
    else out.push({ mark: '+', line: b[j++]! })
  }
  const near = (k: number) => out.slice(Math.max(0, k - 1), k + 2).some((entry) => entry.mark !== ' ')
  return out.filter((entry, k) => entry.mark !== ' ' || near(k)).map((entry) => `${entry.mark} ${entry.line}`)
}

// --- The glossary ------------------------------------------------------------------------

export interface Term {
  english: string
  chinese: string
}

/** lessons/GLOSSARY.md's table: English term → the Chinese term used. */
export function glossaryOf(markdown: string): Term[] {
  const terms: Term[] = []
  for (const line of markdown.split('\n')) {
    const cells = /^\|([^|]+)\|([^|]+)\|/.exec(line)
    if (!cells) continue
    const [english, chinese] = [cells[1]!.trim(), cells[2]!.trim()]
    if (english === 'English' || /^-+$/.test(english)) continue
    terms.push({ english, chinese })
  }
  return terms
}

/** The prose of a Chinese text: without code (fenced and inline), link targets, HTML comments,
 * URLs and quoted literals, where English is at home. */
export function proseOf(markdown: string): string {
  return markdown
    .replace(/^\s*(```|~~~)[\s\S]*?^\s*(```|~~~)/gm, (code) => code.replace(/[^\n]/g, ''))
    .replace(/`[^`\n]*`/g, ' ')
    .replace(/<!--.*?-->/g, ' ')
    .replace(/「[^」\n]*」/g, ' ')
    .replace(/\]\([^)]*\)/g, ']')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/'[^'\n]*'|"[^"\n]*"/g, ' ')
}

/**
 * English glossary terms left in Chinese prose, each with the line it is on. A term is matched
 * as written (lower case) and as a whole word: `image-server.ts`, `socket.end()`, a header's
 * `Host` or `HOST` are names, not prose.
 */
export function untranslatedTerms(text: string, terms: Term[]): { term: Term; line: number; excerpt: string }[] {
  const found: { term: Term; line: number; excerpt: string }[] = []
  proseOf(text)
    .split('\n')
    .forEach((line, index) => {
      for (const term of terms) {
        const word = term.english.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        const match = new RegExp(`(?<![\\w./:-])${word}(?:e?s)?(?![\\w./:(-])`).exec(line)
        if (match) found.push({ term, line: index + 1, excerpt: line.trim().slice(0, 80) })
      }
    })
  return found
}
