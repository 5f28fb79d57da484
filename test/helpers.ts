import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { $ } from 'zx'
import { findExercise, findLesson, type Exercise, type Lesson } from '../lessons/index.ts'
import { projectRoot } from '../checks/engine/paths.ts'
import type { ExerciseResult } from '../checks/engine/results.ts'

export const root = projectRoot

/** Learner programs started by this test process (directly or through a CLI it ran) still alive. */
export function survivors(): string[] {
  const tag = `NETLINGS_TAG=${process.env.NETLINGS_TAG}`
  const found: string[] = []
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')
      if (env.includes('NETLINGS_PROGRAM=1') && env.includes(tag)) {
        found.push(`${pid}: ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')}`)
      }
    } catch {
      // Gone while we looked, or not ours to read.
    }
  }
  return found
}

/** Waits until no learner program of ours is alive, for at most `ms`; returns the survivors. */
export async function survivorsAfter(ms: number): Promise<string[]> {
  const deadline = Date.now() + ms
  let left = survivors()
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    left = survivors()
  }
  return left
}

export interface CliRun {
  exitCode: number | null
  stdout: string
  stderr: string
}

/** The grader's CLI as a learner runs it, minus npm's start-up cost. */
export async function cli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  const env = options.env && { ...process.env, ...options.env }
  const result = await $({ nothrow: true, quiet: true, cwd: options.cwd ?? root, ...(env && { env }) })`node ${join(root, 'bin/netlings.mjs')} check ${args}`
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr }
}

export interface Fixture {
  lesson: Lesson
  exercise: Exercise
  name: string
  file: string
  /** The check the bug must fail on first. */
  fails: string
  /** Words the failure must say, so the learner is told the bug by name. */
  says: string
}

/** test/fixtures/<lesson id>/<exercise id>/<bug>.ts, each with `// fails:` and `// says:` lines. */
export function fixtures(): Fixture[] {
  const base = join(root, 'test', 'fixtures')
  return readdirSync(base).flatMap((lessonId) =>
    readdirSync(join(base, lessonId)).flatMap((exerciseId) =>
      readdirSync(join(base, lessonId, exerciseId)).map((name) => {
        const file = join(base, lessonId, exerciseId, name)
        const text = readFileSync(file, 'utf8')
        const header = (key: string) => new RegExp(`^// ${key}: (.+)$`, 'm').exec(text)?.[1]
        const lesson = findLesson(lessonId)
        const exercise = lesson && findExercise(lesson, exerciseId)
        const fails = header('fails')
        const says = header('says')
        if (!lesson || !exercise || !fails || !says) throw new Error(`fixture ${file} needs a known lesson/exercise and // fails: and // says: lines`)
        return { lesson, exercise, name, file, fails, says }
      }),
    ),
  )
}

/** What a fixture's grading got wrong, in one line, or undefined when it failed first on the
 * check that names its bug, said the words, and (a stretch bug) cost no required check. */
export function fixtureMiss(fixture: Fixture, result: ExerciseResult): string | undefined {
  if (result.error) {
    // A file that does not compile: the verdict before any check.
    if (result.error !== fixture.fails) return `stopped before any check with "${result.error}", not "${fixture.fails}"`
    const said = [result.error, ...(result.errorDetails ?? [])].join('\n')
    return said.includes(fixture.says) ? undefined : `did not say "${fixture.says}":\n${said}`
  }
  const failed = result.checks.find((check) => check.status === 'fail')
  if (!failed) return 'passed every check'
  if (failed.name !== fixture.fails) return `failed "${failed.name}" first, not "${fixture.fails}": ${failed.failure?.message ?? ''}`
  const said = [failed.failure!.message, ...failed.failure!.details, failed.failure!.why ?? ''].join('\n')
  if (!said.includes(fixture.says)) return `failed "${failed.name}" but did not say "${fixture.says}":\n${said}`
  if (failed.stretch && !result.passed) return 'a bug in a stretch goal cost a required check'
  return undefined
}

export interface StyleProgram {
  lesson: Lesson
  exercise: Exercise
  name: string
  file: string
}

/** test/styles/<lesson id>/<exercise id>/<style>.ts: correct programs unlike the solution. */
export function styles(): StyleProgram[] {
  const base = join(root, 'test', 'styles')
  return readdirSync(base).flatMap((lessonId) =>
    readdirSync(join(base, lessonId)).flatMap((exerciseId) => {
      const lesson = findLesson(lessonId)!
      const exercise = findExercise(lesson, exerciseId)!
      return readdirSync(join(base, lessonId, exerciseId)).map((name) => ({ lesson, exercise, name, file: join(base, lessonId, exerciseId, name) }))
    }),
  )
}

/**
 * English prose left in a text that should be Chinese: runs of four or more English words.
 * What is English by nature is left out first: code and quoted bytes, paths, URLs, commands,
 * names in capitals (HOST, PONG), and the messages of Node's and the learner's own errors.
 */
export function englishLeft(text: string): string[] {
  const prose = text
    .replace(/`[^`]*`/g, ' ')
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|「[^」]*」|“[^”]*”/g, ' ')
    .replace(/\b\w*(?:Error|Exception)\b(?: \[\w+\])?:.*$/gm, ' ')
    // A line the program printed, quoted in a sentence: `error: GET … failed: …`.
    .replace(/\berror:[^。\n]*/gi, ' ')
    // JSON.parse's own words about the body it was given.
    .replace(/\b(?:Unexpected|Expected)\b[^。\n]*\bJSON\b[^。\n]*/g, ' ')
    .replace(/\b(?:npm|npx|node|python3?)\b.*$/gm, ' ')
    .replace(/\S*[/\\]\S*|https?:\S+/g, ' ')
    .replace(/\b[A-Z][A-Z0-9_-]+\b/g, ' ')
  return [...prose.matchAll(/(?:\b[A-Za-z]{2,}\b[ ,]+){3,}\b[A-Za-z]{2,}\b/g)].map((m) => m[0])
}
