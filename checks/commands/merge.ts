// netlings merge <results.json …> [--reporter R] [--strict]
// The JSON of `check --shard i/n --reporter json` runs → one class result, as one unsharded run
// would have given it → any reporter. A file that is not such a result, or shards that do not
// belong together, is one line and exit 2: a CI log must say which file, and why.

import { statSync, readFileSync } from 'node:fs'
import type { CheckResult, ExerciseResult, RunResult } from '../engine/results.ts'
import { compareNames } from '../engine/shard.ts'
import { render, REPORTERS, verdict, type Reporter } from '../report/reporters.ts'
import { wantsColor } from '../text/style.ts'
import { commandName, langOption, parse, UsageError, type Command } from './kit.ts'
import { t } from '../text/lang.ts'

function usage(): string {
  const command = commandName('merge')
  return [
    t`Usage: ${command} <results.json …> [options]`,
    '',
    t`Joins the JSON results of the shards of a class (${commandName('check')} <lesson> --dir submissions/*
--shard i/n --reporter json > shard-i.json) into one class result, the same as grading the
class in one run, and prints it.`,
    '',
    t('Options:'),
    `  --reporter R   ${t('text (default: the class table), json, junit, tap, exercism, csv or html')}`,
    `  --strict       ${t('stretch checks count too: exit 1 unless every check passed')}`,
    langOption(17),
    '',
    t`Example: ${command} shard-1.json shard-2.json shard-3.json --reporter html > class.html`,
  ].join('\n')
}

/** A shard's file is not what merge takes: said in one line, naming the file. */
class BadInput extends Error {}

/** A results file stays far below this; anything bigger is not one. */
const MAX_BYTES = 256 * 1024 * 1024

function readResults(file: string): RunResult {
  const stat = statSync(file, { throwIfNoEntry: false })
  if (!stat) throw new BadInput(t`${file}: no such file.`)
  // A FIFO or a device would block or never end: only a regular file is read.
  if (!stat.isFile()) throw new BadInput(t`${file}: not a regular file.`)
  if (stat.size > MAX_BYTES) throw new BadInput(t`${file}: ${stat.size} bytes is too big for a results file.`)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new BadInput(t`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`)
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new BadInput(t`${file}: not JSON (${(error as Error).message.split('\n')[0]}).`)
  }
  const problem = resultsProblem(value)
  if (problem) throw new BadInput(t`${file}: not the JSON of ${commandName('check')} --reporter json (${problem}).`)
  return value as RunResult
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const strings = (value: unknown) => Array.isArray(value) && value.every((item) => typeof item === 'string')

/** What the reporters read, checked before they read it; undefined when it all holds. */
function resultsProblem(value: unknown): string | undefined {
  if (!isObject(value)) return t('not an object')
  if (typeof value.seed !== 'number') return t('no seed')
  if (!Array.isArray(value.exercises)) return t('no exercises')
  for (const [i, exercise] of value.exercises.entries()) {
    const problem = exerciseProblem(exercise)
    if (problem) return t`exercise ${i + 1}: ${problem}`
  }
  return undefined
}

function exerciseProblem(e: unknown): string | undefined {
  if (!isObject(e)) return t('not an object')
  for (const key of ['lesson', 'exercise', 'number', 'title', 'file'] as const) if (typeof e[key] !== 'string') return t`no ${key}`
  if (e.submission !== undefined && typeof e.submission !== 'string') return t('a submission that is not a path')
  if (typeof e.passed !== 'boolean' || typeof e.seed !== 'number' || typeof e.durationMs !== 'number') return t('no verdict')
  if (e.error !== undefined && typeof e.error !== 'string') return t('an error that is not text')
  if (e.errorDetails !== undefined && !strings(e.errorDetails)) return t('error details that are not lines')
  if (e.output !== undefined) {
    const output = e.output
    if (!isObject(output) || typeof output.label !== 'string' || !strings(output.stdout) || !strings(output.stderr)) return t('an output that is not lines')
  }
  if (e.hint !== undefined && (!isObject(e.hint) || typeof e.hint.text !== 'string')) return t('a hint that is not text')
  if (e.typeErrors !== undefined && (!isObject(e.typeErrors) || !Array.isArray(e.typeErrors.first))) return t('type errors that are not a list')
  if (!Array.isArray(e.checks)) return t('no checks')
  for (const check of e.checks) {
    const problem = checkProblem(check)
    if (problem) return problem
  }
  return undefined
}

function checkProblem(c: unknown): string | undefined {
  if (!isObject(c) || typeof c.name !== 'string' || typeof c.stretch !== 'boolean') return t('a check without a name')
  if (!['pass', 'fail', 'skip'].includes(c.status as CheckResult['status'])) return t`check "${c.name}" has no status`
  const failure = c.failure
  if (failure !== undefined && (!isObject(failure) || typeof failure.message !== 'string' || !strings(failure.details))) return t`check "${c.name}" has a failure without its message`
  if (isObject(failure) && failure.see !== undefined && (!isObject(failure.see) || typeof failure.see.section !== 'string')) return t`check "${c.name}" points at no section`
  return undefined
}

const columnOf = (e: ExerciseResult) => `${e.lesson} ${e.exercise}`

/** The shards' results as one: each submission once, the class in the order one run grades it. */
export function mergeResults(shards: { file: string; result: RunResult }[]): RunResult {
  // A shard that drew no submission (more shards than students) has nothing to agree on.
  const graded = shards.filter((shard) => shard.result.exercises.length > 0)
  const first = graded[0]
  for (const shard of graded.slice(1)) {
    if (shard.result.seed !== first!.result.seed) {
      throw new BadInput(t`${first!.file} was graded with seed ${first!.result.seed} and ${shard.file} with seed ${shard.result.seed}: grade every shard with the same --seed.`)
    }
    const ours = [...new Set(shard.result.exercises.map(columnOf))].join(', ')
    const theirs = [...new Set(first!.result.exercises.map(columnOf))].join(', ')
    if (ours !== theirs) throw new BadInput(t`${first!.file} grades ${theirs} and ${shard.file} grades ${ours}: the shards of a class grade the same exercises.`)
  }
  const from = new Map<string, string>()
  for (const { file, result } of graded) {
    for (const submission of new Set(result.exercises.map((e) => e.submission ?? ''))) {
      const other = from.get(submission)
      if (other !== undefined) throw new BadInput(t`${submission || t('a result without a submission folder')} is in both ${other} and ${file}: give each shard once.`)
      from.set(submission, file)
    }
  }
  const exercises = graded.flatMap((shard) => shard.result.exercises).sort((a, b) => compareNames(a.submission ?? '', b.submission ?? ''))
  return { passed: exercises.every((e) => e.passed), seed: first?.result.seed ?? shards[0]!.result.seed, exercises }
}

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { reporter: { type: 'string' }, json: { type: 'boolean' }, strict: { type: 'boolean' } })
  if (positionals.length === 0) throw new UsageError(t('Which results? Name the JSON file of each shard.'))
  const reporter = (values.json ? 'json' : (values.reporter ?? 'text')) as Reporter
  if (!REPORTERS.includes(reporter)) throw new UsageError(t`--reporter takes ${REPORTERS.join(', ')}, not "${values.reporter}".`)
  let result: RunResult
  try {
    result = mergeResults(positionals.map((file) => ({ file, result: readResults(file) })))
  } catch (error) {
    if (!(error instanceof BadInput)) throw error
    process.stderr.write(`netlings: merge: ${error.message}\n`)
    return 2
  }
  const color = reporter === 'text' && wantsColor(process.stdout)
  process.stdout.write(render(reporter, result, { color, rerun: commandName('check'), asClass: true }))
  return verdict(result, values.strict ?? false)
}

export const command: Command = {
  name: 'merge',
  summary: t('join the JSON results of the shards of a class (check --shard i/n) into one'),
  usage,
  run,
}
