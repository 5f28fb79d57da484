// The grader's honesty: reference solutions pass every check, starters fail, and each
// deliberately broken program fails first on the check that names its bug, saying so.

import { relative } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { gradeExercise, locate } from '../checks/engine/grade.ts'
import type { ExerciseJob, GradingObserver } from '../checks/engine/observe.ts'
import { livePrograms } from '../checks/run/program.ts'
import { lessons } from '../lessons/index.ts'
import { fixtureMiss, fixtures, styles, survivorsAfter } from './helpers.ts'

const everyExercise = lessons.flatMap((lesson) => lesson.exercises.map((exercise) => ({ lesson, exercise })))
const seed = 20260

function firstFailure(result: Awaited<ReturnType<typeof gradeExercise>>) {
  return result.checks.find((check) => check.status === 'fail')
}

/** An observer that writes down what grading told it, as a live display would hear it. */
function recorder() {
  const heard: Array<{ name: string; index: number; total: number; status?: string; bytes: number }> = []
  const jobs: ExerciseJob[] = []
  let finished: boolean | undefined
  const observer: GradingObserver = {
    exerciseStarted(job) {
      jobs.push(job)
      let bytes: () => number = () => 0
      return {
        checkStarted: (check) => {
          bytes = check.bytes
          heard.push({ name: check.name, index: check.index, total: check.total, bytes: 0 })
        },
        checkEnded: (status) => Object.assign(heard.at(-1)!, { status, bytes: bytes() }),
        finished: (passed) => (finished = passed),
      }
    },
  }
  return { observer, heard, jobs, finished: () => finished }
}

/** "sends 50 MiB of…", "streams a 20 MiB picture": the bytes a check's name promises. */
function promisedBytes(name: string): number {
  const match = /(\d+) (MiB|MB)\b/.exec(name)
  return match ? Number(match[1]) * (match[2] === 'MiB' ? 1024 * 1024 : 1e6) : 0
}

describe.concurrent('reference solutions', () => {
  test.each(everyExercise.map((s) => [`${s.lesson.id} ${s.exercise.id}`, s] as const))('%s passes every check, stretch ones too', async (_, selection) => {
    const { observer, heard, jobs, finished } = recorder()
    const result = await gradeExercise(selection, locate({ kind: 'solutions' }, selection.lesson, selection.exercise), seed, { observer })
    const failure = firstFailure(result)
    expect(failure?.failure?.message ?? 'none failed', failure?.name).toBe('none failed')
    expect(result.checks.every((check) => check.status === 'pass')).toBe(true)
    expect(result.passed).toBe(true)

    // A live display hears of every check, in order, and of its verdict.
    expect(jobs).toEqual([{ lesson: selection.lesson.id, exercise: selection.exercise.id, submission: undefined }])
    expect(heard.map((h) => [h.name, h.index, h.total, h.status])).toEqual(result.checks.map((c, i) => [c.name, i + 1, result.checks.length, c.status]))
    expect(finished()).toBe(true)
    // And the checks that move megabytes show them moving: at least what their name says.
    for (const check of heard) expect(check.bytes, check.name).toBeGreaterThanOrEqual(promisedBytes(check.name))
    const moves = (['lesson-4', 'lesson-5'].includes(selection.lesson.id) && selection.exercise.id !== 'get-json' && selection.exercise.id !== 'raw-get') || selection.exercise.id === 'upload'
    expect(heard.some((h) => promisedBytes(h.name) > 0)).toBe(moves)
  })
})

describe.concurrent('correct programs in other styles pass too', () => {
  // Under the suite's seed and under one of their own: the seed cuts the writes, and a cut can
  // fall where one style of correct program reads differently (a \r and its \n apart).
  const own = (name: string) => [...name].reduce((hash, c) => (hash * 31 + c.charCodeAt(0)) >>> 0, 7) % 100_000
  test.each(styles().flatMap((s) => [seed, own(s.name)].map((n) => [`${s.lesson.id}/${s.exercise.id}/${s.name} --seed ${n}`, s, n] as const)))('%s', async (_, program, n) => {
    const result = await gradeExercise(program, program.file, n)
    expect(firstFailure(result)?.failure?.message ?? 'none failed', firstFailure(result)?.name).toBe('none failed')
  })
})

test('a client that takes \\r as a line end (node:readline) answers in turn, wherever the greeting is cut', async () => {
  // With some seeds the greeting's \r and \n arrive in two writes; readline ends the line at
  // the \r and answers before the \n comes. Seeds 7, 10 and 12 cut it there.
  const program = styles().find((s) => s.lesson.id === 'lesson-2' && s.name === 'readline.ts')!
  for (const seed of [7, 10, 12, 20260]) {
    const result = await gradeExercise(program, program.file, seed)
    expect(firstFailure(result)?.failure?.message ?? 'none failed', `seed ${seed}`).toBe('none failed')
  }
})

describe.concurrent('starters', () => {
  test.each(everyExercise.map((s) => [`${s.lesson.id} ${s.exercise.id}`, s] as const))('%s fails, with a message', async (_, selection) => {
    const result = await gradeExercise(selection, locate({ kind: 'lessons' }, selection.lesson, selection.exercise), seed)
    expect(result.passed).toBe(false)
    expect(firstFailure(result)?.failure?.message).toMatch(/\w/)
  })
})

describe.concurrent('broken programs fail on the check that names their bug', () => {
  test.each(fixtures().map((f) => [`${f.lesson.id}/${f.exercise.id}/${f.name}`, f] as const))('%s', async (_, fixture) => {
    expect(fixtureMiss(fixture, await gradeExercise(fixture, fixture.file, seed))).toBeUndefined()
  })
})

test("a crash is told as a crash: the error, the learner's own frames on their path, the line with a caret, no hint about the check", async () => {
  const fixture = fixtures().find((f) => f.exercise.id === 'server' && f.name === 'crashes-on-start.ts')!
  const result = await gradeExercise(fixture, fixture.file, seed)
  const failure = firstFailure(result)!.failure!
  expect(failure.cause).toBe('crash')
  expect(failure.message).toMatch(/^Your server crashed at start: RangeError: options.port should be >= 0 and < 65536/)
  const shown = relative(process.cwd(), fixture.file)
  // Line 7, column 20: `.listen(` in the file as the learner wrote it, types and all.
  expect(failure.details).toContain(`  at <anonymous> (${shown}:7:20)`)
  expect(failure.details).toContain('    7 | net.createServer().listen(config.port + 1, \'nowhere\')')
  expect(failure.details).toContain(`      | ${' '.repeat(19)}^`)
  expect(failure.details).toContain('ERR_SOCKET_BAD_PORT: the port is not a port number: read it with Number(process.env.PORT).')
  expect([...failure.details, ...result.output!.stderr].join('\n')).not.toMatch(/\.mjs|netlings-|node:internal|node_modules/)
  expect(result.hint).toBeUndefined()
})

afterAll(async () => {
  expect(livePrograms()).toBe(0)
  expect(await survivorsAfter(1000)).toEqual([])
})
