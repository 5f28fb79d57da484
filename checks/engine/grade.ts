// From "grade these exercises from there" to results: find each file, run its stories, and
// gather one result per exercise. Reporters take it from here.

import { t, tr } from '../text/lang.ts'
import { existsSync, lstatSync, readdirSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { basename, extname, join, resolve } from 'node:path'
import type { Exercise, Lesson } from '../../lessons/index.ts'
import type { GradingObserver } from './observe.ts'
import { projectRoot, shownPath } from './paths.ts'
import type { ExerciseResult, RunResult } from './results.ts'
import { runStories, type ExerciseChecks } from './story.ts'
import { compileTypeScript, type CompileError } from '../run/compile.ts'
import { isRegularFile, noLinkBetween, NotARegularFile, readRegularFile } from '../run/regular-file.ts'
import { noteOf, typeCheck } from '../run/typecheck.ts'
import { fileExcerpt } from '../text/source.ts'
import { hintAfter, readHintState } from '../state/hints.ts'

/** Where the graded files come from: the learner's lessons/, the reference solutions, or a
 * submission laid out like lessons/ (lesson folders, or just the files). */
export type Source = { kind: 'lessons' } | { kind: 'solutions' } | { kind: 'dir'; dir: string }

export interface Selection {
  lesson: Lesson
  exercise: Exercise
}

export function locate(source: Source, lesson: Lesson, exercise: Exercise): string {
  if (source.kind !== 'dir') return join(projectRoot, source.kind, lesson.slug, exercise.file)
  // The exercise's own file, or one of the same name in another language (server.py).
  for (const folder of [resolve(source.dir, lesson.slug), resolve(source.dir)]) {
    if (present(join(folder, exercise.file))) return join(folder, exercise.file)
    const other = existsSync(folder) ? readdirSync(folder).find((name) => name.replace(/\.[^.]+$/, '') === exercise.id) : undefined
    if (other) return join(folder, other)
  }
  return resolve(source.dir, lesson.slug, exercise.file)
}

/** Something is there, a link or a FIFO too: it is the file handed in, and gets its verdict. */
const present = (path: string) => lstatSync(path, { throwIfNoEntry: false }) !== undefined

/** How to run a file that is not TypeScript, by its extension; a lesson's list entry or
 * --cmd may say otherwise. Undefined: TypeScript, run with tsx. */
const DEFAULT_COMMANDS: Record<string, string> = { '.py': 'python3 {file}', '.js': 'node {file}', '.mjs': 'node {file}' }

export function commandFor(file: string, lesson: Lesson, override?: string): string | undefined {
  if (override) return override
  const extension = extname(file)
  if (extension === '.ts' || extension === '.mts') return undefined
  return lesson.commands?.[extension] ?? DEFAULT_COMMANDS[extension]
}

/** An exercise's checks: the default export of checks/lessons/<lesson id>/<exercise id>.ts
 * (`lesson-5/raw-get.ts`), beside that lesson's helpers. Undefined when there is none. */
export async function checksFor(lesson: Lesson, exercise: Exercise): Promise<ExerciseChecks | undefined> {
  if (!existsSync(join(projectRoot, 'checks', 'lessons', lesson.id, `${exercise.id}.ts`))) return undefined
  const module = (await import(`../lessons/${lesson.id}/${exercise.id}.ts`)) as { default?: ExerciseChecks }
  return typeof module.default?.build === 'function' ? module.default : undefined
}

export interface GradeOptions {
  /** --cmd: how to run every file. */
  command?: string
  /** Told of each exercise and check as grading goes (a live display). */
  observer?: GradingObserver
  /** The submission folder, when grading a class (for the observer). */
  submission?: string
  /** How many of the exercise's hints the learner has read (`npm run hint`), for the report's
   * hint to follow; 0 unless it is their own lessons/. */
  hintsSeen?: number
  /** The --dir the file was found in: no folder between it and the file may be a link. */
  dir?: string
  /** Part of a class even when one submission is named (a --shard of it): each result names its
   * submission, and no type check runs, as for a class. */
  asClass?: boolean
}

export async function gradeExercise(selection: Selection, file: string, seed: number, options: GradeOptions = {}): Promise<ExerciseResult> {
  const { lesson, exercise } = selection
  const { command, observer, submission } = options
  const started = Date.now()
  const base = {
    lesson: lesson.id,
    exercise: exercise.id,
    number: exercise.number,
    title: tr(exercise.title),
    file: shownPath(file),
    seed,
  }
  const checks = await checksFor(lesson, exercise)
  if (!checks) throw new Error(`no checks for ${lesson.id} ${exercise.id}: checks/lessons/${lesson.id}/${exercise.id}.ts exports none`)
  const watching = observer?.exerciseStarted({ lesson: lesson.id, exercise: exercise.id, submission })
  // Read once, bounded, before anything else reads it: a FIFO, a device, a link or a huge file
  // is this exercise's verdict, and the others are graded on.
  try {
    if (options.dir !== undefined) noLinkBetween(options.dir, file)
    readRegularFile(file)
  } catch (error) {
    watching?.finished(false)
    const absent = (error as NodeJS.ErrnoException).code === 'ENOENT'
    return { ...base, error: absent ? t`There is no file at ${shownPath(file)}.` : error instanceof NotARegularFile ? error.message : t`${shownPath(file)} cannot be read: ${(error as Error).message}`, checks: [], passed: false, durationMs: 0 }
  }
  const run = commandFor(file, lesson, command)
  // A file that does not compile runs nothing: that is the verdict, before any check.
  const compiled = run === undefined ? await compileTypeScript(file) : undefined
  if (compiled?.errors) {
    watching?.finished(false)
    return { ...base, ...compileFailure(file, compiled.errors), checks: [], passed: false, durationMs: Date.now() - started }
  }
  const outcome = await runStories(checks, { lesson, exercise, file, command: run }, seed, watching)
  const passed = outcome.checks.every((check) => check.stretch || check.status === 'pass')
  watching?.finished(passed)
  // The hint follows the failing check and the hints read; a failure whose cause is the program
  // itself (a crash, a loop) gets none: the hints are about the checks.
  const failing = outcome.checks.find((check) => check.status === 'fail' && !check.stretch)
  const names = outcome.checks.map((check) => check.name)
  const hint = failing && !failing.failure?.cause ? hintAfter(exercise, names, failing.name, options.hintsSeen ?? 0) : undefined
  return { ...base, checks: outcome.checks, passed, durationMs: Date.now() - started, output: outcome.output, ...(hint && { hint }) }
}

/** The first few of esbuild's errors, each as `file:line:column: message` and the line with a
 * caret, on the learner's path. */
function compileFailure(file: string, errors: CompileError[]): { error: string; errorDetails: string[] } {
  const shown = shownPath(file)
  const SHOWN = 3
  const details = errors.slice(0, SHOWN).flatMap(({ line, column, message }) => [
    `${shown}:${line}:${column}: ${message}`,
    ...fileExcerpt(file, line, column).map((l) => `  ${l}`),
    ...(/end of file/.test(message) ? [t('Something opened earlier is never closed: a (, { or [ without its partner, or a string without its quote.')] : []),
  ])
  if (errors.length > SHOWN) details.push(t`…and ${errors.length - SHOWN} more.`)
  details.push(t('Node cannot run a file it cannot read, so no check ran. Fix the first error: the others often go with it.'))
  return { error: t`${basename(file)} does not compile`, errorDetails: details }
}

/**
 * Measured with a class of 30 on 2 cores: lesson 5's gradings spend much of their time
 * waiting (a program that must give up after TIMEOUT_MS), so two per core take 59 s where
 * one per core took 101 s; lesson 4 is CPU-bound and takes the same either way (64–66 s);
 * three per core is slower for lesson 4 (73 s).
 */
const GRADINGS_PER_CORE = 2

/** How many gradings run at once: GRADINGS_PER_CORE per core, or NETLINGS_JOBS (a teacher
 * sharing a machine, or a test that needs one grading after another). */
export function gradingsAtOnce(): number {
  const asked = Number(process.env.NETLINGS_JOBS)
  return Number.isInteger(asked) && asked >= 1 ? asked : availableParallelism() * GRADINGS_PER_CORE
}

/** Does `work` for each item, in order, gradingsAtOnce() at a time. */
export async function atOnce<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) await work(items[next++]!)
  }
  await Promise.all(Array.from({ length: Math.min(gradingsAtOnce(), items.length) }, worker))
}

/**
 * Grades the selected exercises of every source (one, or a class of submissions) side by side,
 * gradingsAtOnce() at a time. Each grading is isolated: its own temp folders, its own ports,
 * its own loopback host. The last exercises start first: later lessons move more bytes, and
 * starting the longest first keeps the cores evenly busy. Results keep their order: source
 * by source, exercise by exercise.
 */
export async function grade(selections: Selection[], sources: Source[], seed: number, options: Omit<GradeOptions, 'submission'> = {}): Promise<RunResult> {
  const jobs = sources.flatMap((source) => selections.map((selection) => ({ source, selection })))
  const files = jobs.map(({ source, selection }) => locate(source, selection.lesson, selection.exercise))
  // The learner's own TypeScript is type-checked beside the grading, for a note: lessons/ or one
  // submission, not the solutions, not a class, not --cmd (run/typecheck.ts). NETLINGS_NO_TYPECHECK=1
  // turns it off (npm run bench measures what it costs).
  const own = sources.length === 1 && !options.asClass && sources[0]!.kind !== 'solutions' && !options.command && !process.env.NETLINGS_NO_TYPECHECK
  const types = own ? typeCheck(files.filter((file) => /\.m?ts$/.test(file) && isRegularFile(file))) : undefined
  const hintsRead = sources.some((source) => source.kind === 'lessons') ? readHintState() : {}
  const exercises: ExerciseResult[] = new Array(jobs.length)
  await atOnce([...jobs.keys()].reverse(), async (i) => {
    const { source, selection } = jobs[i]!
    const submission = source.kind === 'dir' && (sources.length > 1 || options.asClass) ? source.dir : undefined
    const hintsSeen = source.kind === 'lessons' ? (hintsRead[`${selection.lesson.id}/${selection.exercise.id}`] ?? 0) : 0
    const dir = source.kind === 'dir' ? source.dir : undefined
    const result = await gradeExercise(selection, files[i]!, seed, { ...options, submission, hintsSeen, dir })
    exercises[i] = submission ? { submission, ...result } : result
  })
  // What the cache knows goes into the report; the rest is checked now, for the next run.
  void types?.check(false)
  for (const [i, exercise] of exercises.entries()) {
    const note = types && !exercise.error ? noteOf(types.known.get(files[i]!), shownPath(files[i]!)) : undefined
    if (note) exercise.typeErrors = note
  }
  return { passed: exercises.every((exercise) => exercise.passed), seed, exercises }
}
