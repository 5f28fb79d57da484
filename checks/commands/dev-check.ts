// netlings dev:check [--quick] [--fix-starters]
// For maintainers, like rustlings' `dev check`: the lesson list in lessons/index.ts against the
// files. Every exercise has a starter, a solution, a pristine copy in starters/ equal to the
// starter, hints and checks, and its hints name only checks it has; every README section a
// check points to exists; and, unless --quick, every starter fails the grader and every
// solution passes it.
// Exit codes: 0 all good, 1 a problem, 2 usage error.

import { execFile } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { lessons, findLesson, type Lesson } from '../../lessons/index.ts'
import { checksFor } from '../engine/grade.ts'
import { commandName, langOption, noMoreThan, parse, type Command } from './kit.ts'
import { t } from '../text/lang.ts'
import { projectRoot } from '../engine/paths.ts'
import type { RunResult } from '../engine/results.ts'
import { sectionsOfLesson } from '../engine/see.ts'
import { catalogProblems } from '../text/catalog-audit.ts'
import { CHINESE_README, fromHistory, glossaryOf, syncProblems, untranslatedTerms } from '../../lessons/translation.ts'

export interface Item {
  ok: boolean
  what: string
  /** Why it failed, and what to do about it. */
  why?: string
}

const rel = (...parts: string[]) => join(...parts)
const at = (...parts: string[]) => join(projectRoot, ...parts)

/** README anchors named by a lesson's checks: `see: 'anchor'`, or one handed to a shared story (as test/registry.test.ts reads them). */
export function anchorsOfChecks(lesson: Lesson): string[] {
  const dir = at('checks', 'lessons', lesson.id)
  if (!existsSync(dir)) return []
  const sources = readdirSync(dir).filter((name) => name.endsWith('.ts')).map((name) => readFileSync(join(dir, name), 'utf8'))
  return sources.flatMap((source) => [...source.matchAll(/see: '([^']+)'|\.\.\.\w+\('([^']+)'/g)].map((m) => (m[1] ?? m[2])!))
}

/** Everything that can be known without running a program. */
export async function staticItems(): Promise<Item[]> {
  const items: Item[] = []
  const item = (ok: boolean, what: string, why?: string) => items.push(ok ? { ok, what } : { ok, what, why })

  const listed = lessons.map((l) => l.slug).sort()
  for (const folder of ['lessons', 'solutions', 'starters']) {
    const onDisk = existsSync(at(folder)) ? readdirSync(at(folder), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort() : []
    const stray = onDisk.filter((name) => !listed.includes(name))
    item(stray.length === 0, t`${folder}/ holds only listed lessons`, t`not in lessons/index.ts: ${stray.join(', ')}`)
  }

  for (const lesson of lessons) {
    const readme = rel('lessons', lesson.slug, 'README.md')
    item(existsSync(at(readme)), t`${lesson.id}: ${readme} exists`, t('every lesson needs its README'))
    const files = lesson.exercises.map((e) => e.file).sort()
    for (const folder of ['lessons', 'solutions']) {
      const onDisk = existsSync(at(folder, lesson.slug)) ? readdirSync(at(folder, lesson.slug)).filter((f) => f.endsWith('.ts')).sort() : []
      const same = onDisk.join() === files.join()
      item(same, t`${lesson.id}: ${folder}/${lesson.slug} holds exactly its exercises' files`, t`lessons/index.ts lists ${files.join(', ')}; the folder has ${onDisk.join(', ') || t('none')}`)
    }
    if (lesson.demo) item(existsSync(at(lesson.demo)), t`${lesson.id}: demo server ${lesson.demo} exists`, t('fix demo: in lessons/index.ts'))
    const anchors = sectionsOfLesson(lesson).map((s) => s.anchor)
    for (const see of anchorsOfChecks(lesson)) {
      const [lessonId, anchor] = see.includes('#') ? see.split('#') : [lesson.id, see]
      const target = findLesson(lessonId!)
      const found = target !== undefined && sectionsOfLesson(target).some((s) => s.anchor === anchor)
      item(found, t`${lesson.id}: README section "${see}" exists`, t("a check points to it; add the heading or fix the check's see:"))
    }
    for (const anchor of ['the-exercise', 'what-the-grader-checks', 'run-it-by-hand']) {
      item(anchors.includes(anchor), t`${lesson.id}: README has a section #${anchor}`, t('every lesson README explains the exercise, the checks and running it by hand'))
    }

    for (const exercise of lesson.exercises) {
      const name = `${lesson.id} ${exercise.id}`
      const starter = rel('lessons', lesson.slug, exercise.file)
      const solution = rel('solutions', lesson.slug, exercise.file)
      const pristine = rel('starters', lesson.slug, exercise.file)
      item(existsSync(at(starter)), t`${name}: starter ${starter}`, t('missing'))
      item(existsSync(at(solution)), t`${name}: solution ${solution}`, t('missing'))
      const same = existsSync(at(starter)) && existsSync(at(pristine)) && readFileSync(at(starter)).equals(readFileSync(at(pristine)))
      item(same, t`${name}: pristine copy ${pristine} equals the starter`, existsSync(at(pristine)) ? t('differs; after editing the starter run `npm run dev:check -- --fix-starters`') : t('missing; run `npm run dev:check -- --fix-starters`'))
      const hintsOk = exercise.hints.length > 0 && exercise.hints.every((h) => h.trim() !== '')
      item(hintsOk, t`${name}: has hints`, t('give at least one hint, and no empty ones, in lessons/index.ts'))
      let checks: string[] = []
      try {
        checks = (await checksFor(lesson, exercise))?.build().map((check) => check.name) ?? []
      } catch (error) {
        item(false, t`${name}: has checks`, t`checks/lessons/${lesson.id}/${exercise.id}.ts failed to load: ${(error as Error).message}`)
        continue
      }
      item(checks.length > 0, t`${name}: has checks`, t`a default export in checks/lessons/${lesson.id}/${exercise.id}.ts`)
      // A hint about a check that is not there (renamed, removed) would never be shown.
      const unknown = exercise.hintChecks.flatMap((about, i) => about.filter((check) => !checks.includes(check)).map((check) => t`hint ${i + 1}: "${check}"`))
      item(unknown.length === 0, t`${name}: its hints name only checks it has`, t`no such check: ${unknown.join(', ')}; fix the hint's checks in lessons/index.ts`)
    }
  }
  items.push(...(await languageItems()))
  return items
}

/** Both languages for every lesson: its Chinese README, section by section in step with the
 * English and keeping to the glossary, and the Chinese of every text the grader says. */
async function languageItems(): Promise<Item[]> {
  const items: Item[] = []
  const item = (ok: boolean, what: string, why?: string) => items.push(ok ? { ok, what } : { ok, what, why })
  const glossary = glossaryOf(readFileSync(at('lessons', 'GLOSSARY.md'), 'utf8'))
  for (const lesson of lessons) {
    const chinese = rel('lessons', lesson.slug, CHINESE_README)
    const english = rel('lessons', lesson.slug, 'README.md')
    if (!existsSync(at(chinese)) || !existsSync(at(english))) {
      item(false, t`${lesson.id}: ${chinese} exists`, t`every lesson is in English and 简体中文: translate ${english} section by section, a <!-- en: anchor --> line under each heading, then run npm run i18n -- stamp ${lesson.id}`)
      continue
    }
    const problems = syncProblems(readFileSync(at(english), 'utf8'), readFileSync(at(chinese), 'utf8'), fromHistory(projectRoot, english))
    const told = problems.map((p) => [`${p.section} ${p.problem}`, ...(p.diff ?? []).map((line) => `      ${line}`)].join('\n'))
    item(problems.length === 0, t`${lesson.id}: ${chinese} translates ${english} as it is now`, told.join('\n    '))
    const left = untranslatedTerms(readFileSync(at(chinese), 'utf8'), glossary)
    item(left.length === 0, t`${lesson.id}: ${chinese} keeps to lessons/GLOSSARY.md`, left.map((l) => t`line ${l.line}: "${l.term.english}" is ${l.term.chinese}`).join('; '))
  }
  const { problems } = await catalogProblems(projectRoot)
  const byCatalog = new Map<string, typeof problems>()
  for (const problem of problems) byCatalog.set(problem.catalog, [...(byCatalog.get(problem.catalog) ?? []), problem])
  for (const lesson of lessons) {
    const catalog = rel('checks', 'lessons', lesson.id, 'zh-CN.json')
    if (!byCatalog.has(catalog)) item(true, t`${catalog}: every text of ${lesson.id} has its Chinese`)
  }
  for (const [catalog, list] of byCatalog) {
    const shown = list.slice(0, 8).map((p) => `${p.problem}: ${JSON.stringify(p.key)}${p.at ? ` (${p.at})` : ''}`)
    if (list.length > shown.length) shown.push(t`… and ${list.length - shown.length} more: npm run i18n`)
    item(false, t`${catalog}: every text has its Chinese, and nothing else`, t`npm run i18n -- --write adds what is missing, to fill in:\n    ${shown.join('\n    ')}`)
  }
  return items
}

/** The grader as a learner runs it, in a process of its own, with JSON out. */
function gradeLesson(lesson: Lesson, solution: boolean, progress: string): Promise<RunResult | string> {
  const args = [at('bin', 'netlings.mjs'), 'check', lesson.id, '--json', ...(solution ? ['--solution'] : [])]
  return new Promise((resolve) => {
    // The starters' verdicts must not land in the maintainer's own progress.json.
    const env = { ...process.env, NETLINGS_PROGRESS: progress }
    execFile(process.execPath, args, { cwd: projectRoot, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      try {
        resolve(JSON.parse(stdout) as RunResult)
      } catch {
        resolve(t`the grader gave no JSON (exit ${error?.code ?? 0}): ${stderr.trim().split('\n')[0] ?? ''}`)
      }
    })
  })
}

/** Starters must fail (there is work to do) and solutions pass (the work can be done). Lessons in sequence: they share ports and CPU. */
export async function gradingItems(report: (item: Item) => void): Promise<Item[]> {
  const items: Item[] = []
  const scratch = mkdtempSync(join(tmpdir(), 'netlings-dev-check-'))
  try {
    for (const lesson of lessons) {
      for (const solution of [false, true]) {
        const result = await gradeLesson(lesson, solution, join(scratch, 'progress.json'))
        if (typeof result === 'string') {
          const it = { ok: false, what: solution ? t`${lesson.id}: solution passes` : t`${lesson.id}: starter fails`, why: result }
          items.push(it)
          report(it)
          continue
        }
        for (const exercise of lesson.exercises) {
          const found = result.exercises.find((e) => e.exercise === exercise.id)
          const ok = found !== undefined && found.error === undefined && found.passed === solution
          const why = !found ? t('not graded') : found.error ? found.error : solution ? t`a required check failed: \`npm run check -- ${lesson.id} ${exercise.id} --solution\` shows which` : t('every required check passed, so there is nothing left to learn')
          const name = `${lesson.id} ${exercise.id}`
          const what = solution ? t`${name}: solution passes` : t`${name}: starter fails`
          const it: Item = ok ? { ok, what } : { ok, what, why }
          items.push(it)
          report(it)
        }
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
  return items
}

/** After a maintainer edits a starter in lessons/, its pristine copy follows. */
export function fixStarters(): string[] {
  const copied: string[] = []
  for (const lesson of lessons) {
    for (const exercise of lesson.exercises) {
      const from = at('lessons', lesson.slug, exercise.file)
      const to = at('starters', lesson.slug, exercise.file)
      if (!existsSync(from)) continue
      if (existsSync(to) && readFileSync(from).equals(readFileSync(to))) continue
      mkdirSync(join(to, '..'), { recursive: true })
      copyFileSync(from, to)
      copied.push(rel('starters', lesson.slug, exercise.file))
    }
  }
  return copied
}

const line = (item: Item) => `${item.ok ? '✓' : '✗'} ${item.what}${item.ok ? '' : `: ${item.why}`}\n`

function usage(): string {
  return [
    t`Usage: ${commandName('dev-check')} [--quick] [--fix-starters]`,
    '',
    t('Checks the lesson list (lessons/index.ts) against the files, then grades every starter\n(each must fail) and every solution (each must pass).'),
    '',
    t('Options:'),
    `  --quick          ${t('skip grading: files, hints, checks and README sections only')}`,
    `  --fix-starters   ${t('copy each starter in lessons/ to starters/ first (after editing a starter;\n                   make sure lessons/ holds starters, not your own solutions)')}`,
    langOption(19),
  ].join('\n')
}

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { quick: { type: 'boolean' }, 'fix-starters': { type: 'boolean' } })
  noMoreThan(positionals, 0)
  if (values['fix-starters']) {
    const copied = fixStarters()
    process.stdout.write(copied.length > 0 ? copied.map((f) => `✎ ${t`${f} updated from lessons/`}\n`).join('') : `${t('starters/ already matches lessons/.')}\n`)
  }
  const items = await staticItems()
  process.stdout.write(items.map(line).join(''))
  if (!values.quick) {
    process.stdout.write(`\n${t('Grading starters (must fail) and solutions (must pass), one lesson at a time…')}\n`)
    items.push(...(await gradingItems((item) => process.stdout.write(line(item)))))
  }
  const bad = items.filter((i) => !i.ok)
  const [fine, all] = [items.length - bad.length, items.length]
  process.stdout.write(`\n${bad.length === 0 ? `✓ ${t`${fine} of ${all} fine.`}` : `✗ ${t`${fine} of ${all} fine, ${bad.length} to fix:`}\n${bad.map(line).join('')}`}\n`)
  if (values.quick && bad.length === 0) process.stdout.write(`${t('(--quick: starters and solutions were not graded)')}\n`)
  return bad.length === 0 ? 0 : 1
}

export const command: Command = { name: 'dev-check', summary: t('for maintainers: the lesson list against the files, starters fail, solutions pass'), usage, run }
