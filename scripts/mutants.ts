// npm run mutants [lesson-N [exercise]]: how much of each solution the checks really watch.
// StrykerJS changes the reference solution one small way at a time (a condition, a boundary,
// a removed statement, a string, …) and grades every such mutant with the exercise's own
// checks, stretch ones included. A mutant that passes is a wrong program the grader lets
// through, unless a person has read it and found it equivalent: test/equivalent-mutants.json.
// Exit 0 when every survivor is in that ledger and every entry still names a survivor.

import { readFileSync, writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { relative } from 'node:path'
import { Stryker } from '@stryker-mutator/core'
import { allExercises, keyOf, pickExercise, pickLesson } from '../checks/commands/kit.ts'
import { AUDIT, LEDGER, audit, bySourcePosition, fingerprint, mutantName, readAudit, readLedger, score, type Outcome } from './mutants-ledger.ts'

const args = process.argv.slice(2).filter((arg) => arg !== '--')
let selections
try {
  if (args.length > 2) throw new Error('Usage: npm run mutants [lesson-N [exercise]]')
  const lesson = args[0] === undefined || args[0] === 'all' ? undefined : pickLesson(args[0])
  selections = !lesson ? allExercises() : args[1] ? [{ lesson, exercise: pickExercise(lesson, args[1]) }] : lesson.exercises.map((exercise) => ({ lesson, exercise }))
} catch (error) {
  console.error(`mutants: ${(error as Error).message}`)
  process.exit(2)
}

// One seed for every grading, so that a run can be repeated and the ledger compared with it.
const seed = process.env.MUTANTS_SEED ?? '1'
// Stryker grades each mutant in a copy of the checkout; the grader's bundle must be built from
// that copy's sources (node_modules is shared with this checkout, so its cache folder is too).
process.env.NETLINGS_BUNDLE_DIR = '.mutants-bundle'

const ledger = readLedger()
let clean = true
const rows: string[] = []
for (const { lesson, exercise } of selections) {
  const key = keyOf(lesson, exercise)
  const file = `solutions/${lesson.slug}/${exercise.file}`
  const lines = readFileSync(file, 'utf8').split('\n')
  // Of the files as Stryker copies them now, not as they may be once it is done.
  const measured = fingerprint(process.cwd(), lesson, exercise)
  console.log(`\n${key}: mutating ${file}`)
  const stryker = new Stryker({
    mutate: [file],
    testRunner: 'command',
    commandRunner: { command: `node bin/netlings.mjs check ${lesson.id} ${exercise.id} --solution --strict --seed ${seed}` },
    concurrency: Number(process.env.MUTANTS_CONCURRENCY) || availableParallelism(),
    // The grader has deadlines of its own: a mutant that hangs is stopped and fails there. A
    // Stryker timeout would count a merely slow mutant as caught.
    timeoutMS: 60_000,
    reporters: [process.stdout.isTTY ? 'progress' : 'progress-append-only'],
    ignorePatterns: ['site/dist', 'site/dist.next', '.netlings', '.ci/node24', '.mutants-bundle'],
    tempDirName: `.stryker-tmp/${process.pid}`, // two runs at once keep out of each other's way
    cleanTempDir: 'always',
    // A const enum's value: Stryker's type for it cannot be imported under isolatedModules.
    logLevel: 'warn' as ConstructorParameters<typeof Stryker>[0]['logLevel'],
  })
  const results = await stryker.runMutationTest()
  const outcomes: Outcome[] = results
    .filter((mutant) => mutant.status !== 'Ignored')
    .map((mutant) => ({
      at: `${mutant.location.start.line}:${mutant.location.start.column}`,
      mutator: mutant.mutatorName,
      replacement: mutant.replacement,
      survived: mutant.status === 'Survived',
      source: lines[mutant.location.start.line - 1]?.trim(),
    }))
  const result = audit(outcomes, ledger[key])
  // Kept for the test that calls for a new run when the solution or its checks change.
  const audits = readAudit(process.cwd())
  audits[key] = {
    fingerprint: measured,
    seed,
    mutants: outcomes.length,
    killed: result.killed,
    survivors: outcomes.filter((outcome) => outcome.survived).map(mutantName).sort(bySourcePosition),
  }
  writeFileSync(AUDIT, `${JSON.stringify(Object.fromEntries(Object.entries(audits).sort()), null, 2)}\n`)
  rows.push(
    `${key.padEnd(26)} ${String(outcomes.length).padStart(4)} mutants  ${String(result.killed).padStart(4)} killed  ` +
      `${String(result.equivalent).padStart(3)} equivalent  ${String(result.unobservable).padStart(2)} unobservable  ${String(result.unexplained.length).padStart(3)} unexplained   ${score(result).toFixed(1)} %`,
  )
  for (const survivor of result.unexplained) {
    clean = false
    console.log(`  survived, not in ${LEDGER}: ${file}:${survivor.at} ${survivor.mutator}`)
    console.log(`    was: ${survivor.source}`)
    console.log(`    now: ${survivor.replacement.replace(/\s+/g, ' ').slice(0, 160)}`)
    console.log(`    entry: ${JSON.stringify({ at: survivor.at, mutator: survivor.mutator, replacement: survivor.replacement, why: '' })}`)
  }
  for (const entry of result.stale) {
    clean = false
    console.log(`  ${LEDGER} names ${key} ${entry.at} ${entry.mutator}, which is ${entry.now === 'killed' ? 'now killed: drop the entry' : 'no longer a mutant: the code changed, read it again'}`)
  }
}

console.log(`\nmutation score (killed out of the mutants that are not equivalent), seed ${seed}:`)
for (const row of rows) console.log(`  ${row}`)
if (!clean) console.log(`\nEvery survivor must be killed by a check or recorded in ${relative(process.cwd(), LEDGER)} with why it is equivalent.`)
process.exitCode = clean ? 0 : 1
