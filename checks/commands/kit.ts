// What every command shares: how it names itself, how it reads its arguments, how it picks
// a lesson and an exercise, how it cleans up on a signal, and how it ends (0 or 1 as the
// command says, 2 for a usage error, 3 when netlings itself broke). `netlings <command>`
// (commands/netlings.ts) runs each of them through `runCommand`.

import type { ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { findExercise, findLesson, lessons, type Exercise, type Lesson } from '../../lessons/index.ts'
import { eraseLive } from '../report/live.ts'
import { killAllNow, stopAll } from '../run/program.ts'
import { stopTypeChecks } from '../run/typecheck.ts'
import type { Progress } from '../state/progress.ts'
import { LANGS, t, tr } from '../text/lang.ts'
import { displayWidth } from '../text/bytes.ts'

/** The learner asked for something that does not exist, or asked wrongly: exit code 2, with
 * the message and the command's usage. An empty message prints the usage alone (--help). */
export class UsageError extends Error {
  /** alone: the message says it all, in one line, without the usage below it (a bad --shard in a
   * CI job's log). */
  constructor(message: string, readonly alone = false) {
    super(message)
  }
}

export interface Command {
  /** What `netlings <name>` calls it. */
  name: string
  /** One line for the list of commands. */
  summary: string
  usage(): string
  /** The exit code; a command that ends the process itself (watch) never resolves. */
  run(argv: string[]): Promise<number>
}

/** The npm script for each command, where its npm name differs from its own. */
const NPM_SCRIPTS: Record<string, string> = { menu: 'start', 'dev-check': 'dev:check' }

const OUR_SCRIPTS = ['check', 'watch', 'hint', 'reset', 'peer', 'merge', 'start', 'dev:check']

/** How the learner would type this command, for messages that tell them what to type next:
 * as an npm script when one of ours started us, as the bin otherwise (npx, a test runner). */
export function commandName(name: string): string {
  const script = NPM_SCRIPTS[name] ?? name
  if (!OUR_SCRIPTS.includes(process.env.npm_lifecycle_event ?? '')) return `npx netlings ${name}`
  return script === 'start' ? 'npm start --' : `npm run ${script} --`
}

/** parseArgs, with its complaints turned into usage errors and --help into the usage. */
export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) {
  let parsed
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { ...options, help: { type: 'boolean', short: 'h' } } })
  } catch (error) {
    // Node's own words, without its advice on positional arguments that start with a dash.
    throw new UsageError((error as Error).message.split('\n')[0]!.replace(/\. To specify a positional argument.*$/, '.'))
  }
  if ((parsed.values as { help?: boolean }).help) throw new UsageError('')
  return parsed
}

/** Positional arguments beyond `count` are a mistake worth naming. */
export function noMoreThan(positionals: string[], count: number): void {
  if (positionals.length > count) throw new UsageError(t`Unexpected argument: ${positionals[count]}`)
}

/** `text` padded with spaces to `width` columns on a terminal: a Chinese character takes two.
 * (Plain ASCII is padded as padEnd does, without loading string-width.) */
export function padColumns(text: string, width: number): string {
  return /^[\x20-\x7e]*$/.test(text) ? text.padEnd(width) : text + ' '.repeat(Math.max(0, width - displayWidth(text)))
}

/** The `--lang` option, as every command's usage lists it: its text at column `width` (the
 * other options'), or after the option when that is too narrow for it. */
export function langOption(width: number): string {
  return `  ${'--lang en|zh-CN'.padEnd(Math.max(width - 2, 17))}${t("English or 简体中文; without it: NETLINGS_LANG, the menu's choice, or the locale")}`
}

/** The lessons and their exercises, for usage messages: a wrong name must show the right ones. */
export function lessonList(): string {
  return lessons
    .map((lesson) => {
      const ids = lesson.exercises.map((e) => e.id).join(', ')
      return `  ${lesson.id.padEnd(10)} ${padColumns(tr(lesson.title), 16)} ${t`exercises: ${ids}`}`
    })
    .join('\n')
}

export function pickLesson(query: string | undefined): Lesson {
  if (!query) throw new UsageError(t('Which lesson? Name one.'))
  const lesson = findLesson(query)
  if (!lesson) throw new UsageError(t`There is no lesson "${query}".`)
  return lesson
}

export function pickExercise(lesson: Lesson, query: string): Exercise {
  const exercise = findExercise(lesson, query)
  // `npm run check lesson-1 --lang zh-CN`: npm keeps the --lang for itself and passes zh-CN on.
  if (!exercise && LANGS.some((code) => code.toLowerCase() === query.toLowerCase())) {
    throw new UsageError(t`"${query}" is a language, not an exercise: npm keeps a --lang that comes before -- for itself. Write npm run check -- ${lesson.id} --lang ${query}`, true)
  }
  if (!exercise) throw new UsageError(t`${lesson.id} has no exercise "${query}". Its exercises: ${lesson.exercises.map((e) => e.id).join(', ')}.`)
  return exercise
}

export const keyOf = (lesson: Lesson, exercise: Exercise) => `${lesson.id}/${exercise.id}`

/** Every exercise in course order. */
export const allExercises = () => lessons.flatMap((lesson) => lesson.exercises.map((exercise) => ({ lesson, exercise })))

/** The exercise the learner is on: the first of the course not passed yet, or undefined when
 * every one passes. The menu starts on it; `hint` with no lesson gives its hint. */
export function firstOpen(progress: Progress): { lesson: Lesson; exercise: Exercise } | undefined {
  return allExercises().find(({ lesson, exercise }) => progress[keyOf(lesson, exercise)]?.status !== 'pass')
}

/** With no exercise named, the learner most likely wants the one they are stuck on. */
export function firstUnpassed(lesson: Lesson, progress: Progress): Exercise {
  return lesson.exercises.find((e) => progress[keyOf(lesson, e)]?.status !== 'pass') ?? lesson.exercises[0]!
}

const SIGNALS = [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const

/**
 * Ctrl-C, a closed terminal or a CI timeout must not leave a learner's program running: on a
 * signal, erase any live display, stop every program, and exit with 128 + the signal's
 * number; on any exit, kill what is left outright. `onSignal` runs first (watch restores the
 * terminal there).
 */
export function reapOnSignals(onSignal?: (signal: NodeJS.Signals, code: number) => void): void {
  process.on('exit', killAllNow)
  for (const [signal, code] of SIGNALS) {
    process.once(signal, () => {
      stopTypeChecks()
      if (onSignal) return onSignal(signal, code)
      eraseLive()
      // A grader in --isolate's namespace leaves the words to the one outside (passSignals).
      if (!process.env.NETLINGS_ISOLATED) announceStop(signal)
      void stopAll().finally(() => process.exit(code))
    })
  }
}

let stoppingNow = false

/** Whether a signal is stopping this command: a child grader's end is then no bug. */
export const stopping = () => stoppingNow

const announceStop = (signal: NodeJS.Signals) => process.stderr.write(`\nnetlings: ${t`stopping (${signal}); cleaning up.`}\n`)

/**
 * For a command whose grading runs in child graders (--isolate's, one per namespace): a signal
 * is passed on to them, and once they have stopped their programs and ended, this one exits
 * with 128 + the signal's number, as reapOnSignals does.
 */
export function passSignals(children: Set<ChildProcess>): void {
  for (const [signal, code] of SIGNALS) {
    process.once(signal, () => {
      stoppingNow = true
      announceStop(signal)
      for (const child of children) child.kill(signal)
      void Promise.all([...children].map((child) => once(child, 'exit'))).finally(() => process.exit(code))
    })
  }
}

/** Runs a command to its exit code: its usage on a usage error (2), one line on a bug (3). */
export async function runCommand(command: Command, argv: string[]): Promise<number> {
  try {
    return await command.run(argv)
  } catch (error) {
    if (error instanceof UsageError) {
      if (error.alone) process.stderr.write(`netlings: ${error.message}\n`)
      else process.stderr.write(`${error.message ? `netlings: ${error.message}\n\n` : ''}${command.usage()}\n`)
      return 2
    }
    eraseLive()
    const message = error instanceof Error ? error.message : String(error)
    process.stderr.write(`netlings: ${t`${command.name} itself failed: ${message}`}\n${t('This is a bug in netlings, not in your program.')}\n`)
    if (process.env.NETLINGS_DEBUG) console.error(error)
    return 3
  }
}
