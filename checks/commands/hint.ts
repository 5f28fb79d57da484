// netlings hint <lesson> [exercise] [--all]
// Progressive hints from lessons/index.ts, gentlest first: each call shows one more, so a
// learner who only needs a nudge is not handed the whole answer. How many were shown lives in
// hints.json beside the progress file (git-ignored .netlings/), so NETLINGS_PROGRESS moves both.
// Exit codes: 0 a hint was shown, 2 usage error.

import { mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { findExercise, findLesson, lessons, type Exercise, type Lesson } from '../../lessons/index.ts'
import { progressFile, readProgress, type Progress } from '../state/progress.ts'

export class UsageError extends Error {}

/** Keyed by `lesson-3/echo-server`: how many hints were shown so far. */
export type HintState = Record<string, number>

export const hintsFile = join(dirname(progressFile), 'hints.json')

export function readHintState(file = hintsFile): HintState {
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as unknown
    return state && typeof state === 'object' ? (state as HintState) : {}
  } catch {
    return {} // no hint asked yet, or a mangled file: start from the gentlest hint again
  }
}

export function writeHintState(state: HintState, file = hintsFile): void {
  mkdirSync(dirname(file), { recursive: true })
  // Written aside and renamed, like progress.json, so a second call never reads half a file.
  const temporary = `${file}.${process.pid}`
  writeFileSync(temporary, JSON.stringify(state, null, 2) + '\n')
  renameSync(temporary, file)
}

/** The lessons and their exercises, for usage messages: a wrong name must show the right ones. */
export function lessonList(): string {
  return lessons
    .map((lesson) => `  ${lesson.id.padEnd(10)} ${lesson.title.padEnd(16)} exercises: ${lesson.exercises.map((e) => e.id).join(', ')}`)
    .join('\n')
}

export function pickLesson(query: string | undefined): Lesson {
  if (!query) throw new UsageError('Which lesson? Name one.')
  const lesson = findLesson(query)
  if (!lesson) throw new UsageError(`There is no lesson "${query}".`)
  return lesson
}

export function pickExercise(lesson: Lesson, query: string): Exercise {
  const exercise = findExercise(lesson, query)
  if (!exercise) throw new UsageError(`${lesson.id} has no exercise "${query}". Its exercises: ${lesson.exercises.map((e) => e.id).join(', ')}.`)
  return exercise
}

/** With no exercise named, the learner most likely wants help with the one they are stuck on. */
export function firstUnpassed(lesson: Lesson, progress: Progress): Exercise {
  return lesson.exercises.find((e) => progress[`${lesson.id}/${e.id}`]?.status !== 'pass') ?? lesson.exercises[0]!
}

export interface HintStep {
  /** 1-based number of the hint to show now. */
  shown: number
  total: number
  text: string
  /** Every hint has been shown before this one; it is repeated. */
  exhausted: boolean
}

/** The next hint after `seen` were shown; past the last, the last again. */
export function nextHint(exercise: Exercise, seen: number): HintStep {
  const total = exercise.hints.length
  const shown = Math.min(Math.max(seen, 0) + 1, total)
  return { shown, total, text: exercise.hints[shown - 1]!, exhausted: seen >= total }
}

const viaNpm = process.env.npm_lifecycle_event !== undefined
const command = viaNpm ? 'npm run hint --' : 'node --import tsx checks/hint.ts'

function usage(): string {
  return [
    `Usage: ${command} <lesson> [exercise] [--all]`,
    '',
    'Shows the next hint for an exercise, gentlest first; each call shows one more.',
    'Without an exercise: the first of the lesson you have not passed yet.',
    '',
    'Lessons:',
    lessonList(),
    '',
    'Options:',
    '  --all     print every hint of the exercise at once',
    '',
    `Example: ${command} lesson-3 echo-server`,
  ].join('\n')
}

/** A hint's text for a terminal: a raw \r in a hint (lesson 3 has one) would send the cursor back over the line. */
const printable = (text: string) => text.replace(/\r/g, '\\r').replace(/\n/g, '\\n')

export function runHint(argv: string[], files = { progress: progressFile, hints: hintsFile }): string {
  let parsed
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { all: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } })
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]!)
  }
  const { values, positionals } = parsed
  if (values.help) throw new UsageError('')
  const [lessonQuery, exerciseQuery, ...extra] = positionals
  if (extra.length > 0) throw new UsageError(`Unexpected argument: ${extra[0]}`)
  const lesson = pickLesson(lessonQuery)
  const exercise = exerciseQuery ? pickExercise(lesson, exerciseQuery) : firstUnpassed(lesson, readProgress(files.progress))

  const lines = [`${exercise.number} ${exercise.title} (lessons/${lesson.slug}/${exercise.file})`]
  if (!exerciseQuery && lesson.exercises.length > 1) {
    lines.push(`(the first exercise of ${lesson.id} not passed yet; name another: ${lesson.exercises.map((e) => e.id).join(', ')})`)
  }
  lines.push('')
  if (values.all) {
    // Reading them all is the learner's choice; it does not move the counter.
    exercise.hints.forEach((text, i) => lines.push(`Hint ${i + 1} of ${exercise.hints.length}: ${printable(text)}`, ''))
    return lines.join('\n')
  }
  const key = `${lesson.id}/${exercise.id}`
  const state = readHintState(files.hints)
  const step = nextHint(exercise, state[key] ?? 0)
  state[key] = step.shown
  writeHintState(state, files.hints)
  lines.push(`Hint ${step.shown} of ${step.total}: ${printable(step.text)}`, '')
  if (step.exhausted) lines.push('There are no more hints for this exercise. The lesson README explains the rest.', '')
  else if (step.shown === step.total) lines.push('That was the last hint.', '')
  else lines.push(`Stuck still? Run the same command again for hint ${step.shown + 1}.`, '')
  return lines.join('\n')
}

/** Whether the module at `url` was started as the program; tests import the functions instead. */
export function isMain(url: string): boolean {
  try {
    return process.argv[1] !== undefined && url === pathToFileURL(realpathSync(process.argv[1])).href
  } catch {
    return false
  }
}

if (isMain(import.meta.url)) {
  try {
    process.stdout.write(runHint(process.argv.slice(2)))
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message ? `netlings: ${error.message}\n\n` : ''}${usage()}\n`)
      process.exitCode = 2
    } else {
      process.stderr.write(`netlings: hint failed: ${error instanceof Error ? error.message : String(error)}\n`)
      if (process.env.NETLINGS_DEBUG) console.error(error)
      process.exitCode = 3
    }
  }
}
