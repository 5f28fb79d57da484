// npm run i18n [-- stamp [lesson…] | --write]
// The two languages, side by side:
//   npm run i18n                 what is missing: texts with no Chinese, translations nobody
//                                uses any more, README sections not translated or out of date
//   npm run i18n -- --write      adds each missing text to its catalog with an empty
//                                translation (to fill in) and drops the unused ones
//   npm run i18n -- stamp [lesson-3 …] [--section anchor]
//                                records that the Chinese README translates the English as it
//                                is now: run it once a section's translation is up to date
//   --only checks/run            only the catalogs (and READMEs) under that path

import { readFileSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { findLesson, lessons } from '../lessons/index.ts'
import { CHINESE_README, fromHistory, stamp, syncProblems } from '../lessons/translation.ts'
import { projectRoot } from '../checks/engine/paths.ts'
import { catalogProblems } from '../checks/text/catalog-audit.ts'
import { readCatalog } from '../checks/text/lang.ts'

const { values, positionals } = parseArgs({ allowPositionals: true, options: { write: { type: 'boolean', default: false }, section: { type: 'string', multiple: true }, only: { type: 'string', multiple: true } } })

function fail(message: string): never {
  console.error(`i18n: ${message}`)
  process.exit(2)
}

if (positionals[0] === 'stamp') {
  const chosen = positionals.length > 1 ? positionals.slice(1).map((id) => findLesson(id) ?? fail(`there is no lesson "${id}"`)) : lessons
  for (const lesson of chosen) {
    const dir = join(projectRoot, 'lessons', lesson.slug)
    const file = join(dir, CHINESE_README)
    if (!existsSync(file)) {
      console.log(`${lesson.id}: no ${CHINESE_README} yet`)
      continue
    }
    const before = readFileSync(file, 'utf8')
    const after = stamp(readFileSync(join(dir, 'README.md'), 'utf8'), before, values.section)
    writeFileSync(file, after)
    const changed = after.split('\n').filter((line, i) => line !== before.split('\n')[i]).length
    console.log(`${lesson.id}: ${changed} section${changed === 1 ? '' : 's'} stamped`)
  }
  process.exit(0)
}
if (positionals.length > 0) fail(`unknown command "${positionals[0]}" (stamp, or nothing)`)

const only = (path: string) => !values.only || values.only.some((prefix) => path.startsWith(prefix))
let problems = 0
for (const lesson of lessons) {
  if (!only(`lessons/${lesson.slug}`)) continue
  const dir = join(projectRoot, 'lessons', lesson.slug)
  const zh = join(dir, CHINESE_README)
  if (!existsSync(zh)) {
    console.log(`lessons/${lesson.slug}/${CHINESE_README}: missing`)
    problems++
    continue
  }
  const found = syncProblems(readFileSync(join(dir, 'README.md'), 'utf8'), readFileSync(zh, 'utf8'), fromHistory(projectRoot, `lessons/${lesson.slug}/README.md`))
  for (const problem of found) {
    console.log(`lessons/${lesson.slug}/${CHINESE_README} ${problem.section} ${problem.problem}`)
    for (const line of problem.diff ?? []) console.log(`    ${line}`)
  }
  problems += found.length
}

const catalog = (await catalogProblems(projectRoot)).problems.filter((problem) => only(problem.catalog))
for (const problem of catalog) console.log(`${problem.catalog}: ${problem.problem}: ${JSON.stringify(problem.key)}${problem.at ? ` (${problem.at})` : ''}`)
problems += catalog.length

if (values.write) {
  const byCatalog = new Map<string, typeof catalog>()
  for (const problem of catalog) byCatalog.set(problem.catalog, [...(byCatalog.get(problem.catalog) ?? []), problem])
  for (const [file, list] of byCatalog) {
    const entries = readCatalog(join(projectRoot, file))
    for (const problem of list) {
      if (problem.problem === 'missing') entries[problem.key] = ''
      if (problem.problem === 'unused') delete entries[problem.key]
    }
    writeFileSync(join(projectRoot, file), `${JSON.stringify(entries, null, 2)}\n`)
    console.log(`${file}: written (${Object.values(entries).filter((text) => !text).length} to translate)`)
  }
}
console.log(problems === 0 ? 'i18n: both languages complete and in step' : `i18n: ${problems} problem${problems === 1 ? '' : 's'}`)
process.exitCode = problems === 0 ? 0 : 1
