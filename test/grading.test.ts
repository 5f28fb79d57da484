// The grader's honesty: reference solutions pass every check, starters fail, and each
// deliberately broken program fails first on the check that names its bug, saying so.

import { afterAll, describe, expect, test } from 'vitest'
import { gradeExercise, locate } from '../checks/grade.ts'
import { livePrograms } from '../checks/run/program.ts'
import { lessons } from '../lessons/index.ts'
import { fixtures, styles, survivorsAfter } from './helpers.ts'

const everyExercise = lessons.flatMap((lesson) => lesson.exercises.map((exercise) => ({ lesson, exercise })))
const seed = 20260

function firstFailure(result: Awaited<ReturnType<typeof gradeExercise>>) {
  return result.checks.find((check) => check.status === 'fail')
}

describe.concurrent('reference solutions', () => {
  test.each(everyExercise.map((s) => [`${s.lesson.id} ${s.exercise.id}`, s] as const))('%s passes every check, stretch ones too', async (_, selection) => {
    const result = await gradeExercise(selection, locate({ kind: 'solutions' }, selection.lesson, selection.exercise), seed)
    const failure = firstFailure(result)
    expect(failure?.failure?.message ?? 'none failed', failure?.name).toBe('none failed')
    expect(result.checks.every((check) => check.status === 'pass')).toBe(true)
    expect(result.passed).toBe(true)
  })
})

describe.concurrent('correct programs in other styles pass too', () => {
  test.each(styles().map((s) => [`${s.lesson.id}/${s.exercise.id}/${s.name}`, s] as const))('%s', async (_, program) => {
    const result = await gradeExercise(program, program.file, seed)
    expect(firstFailure(result)?.failure?.message ?? 'none failed', firstFailure(result)?.name).toBe('none failed')
  })
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
    const result = await gradeExercise(fixture, fixture.file, seed)
    const failed = firstFailure(result)
    expect(failed?.name).toBe(fixture.fails)
    const said = [failed!.failure!.message, ...failed!.failure!.details, failed!.failure!.why ?? ''].join('\n')
    expect(said).toContain(fixture.says)
    // A bug in a stretch goal must not cost a required check.
    if (failed!.stretch) expect(result.passed).toBe(true)
  })
})

afterAll(async () => {
  expect(livePrograms()).toBe(0)
  expect(await survivorsAfter(1000)).toEqual([])
})
