// The grader in 简体中文 gives the same verdicts as in English: every solution passes, every
// broken program fails on the same check, named by the same English id, and what it says is
// Chinese (the bytes of the exchange, the program's own output, code and Node's own error
// texts stay as they are). The English verdicts are test/grading.test.ts's.

import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { gradeExercise, locate } from '../checks/engine/grade.ts'
import { livePrograms } from '../checks/run/program.ts'
import { setLang } from '../checks/text/lang.ts'
import { lessons } from '../lessons/index.ts'
import { englishLeft, fixtures, survivorsAfter } from './helpers.ts'

const seed = 20260

beforeAll(() => setLang('zh-CN'))
afterAll(async () => {
  setLang('en')
  expect(livePrograms()).toBe(0)
  expect(await survivorsAfter(1000)).toEqual([])
})

describe.concurrent('solutions pass in Chinese too', () => {
  const every = lessons.flatMap((lesson) => lesson.exercises.map((exercise) => ({ lesson, exercise })))
  test.each(every.map((s) => [`${s.lesson.id} ${s.exercise.id}`, s] as const))('%s', async (_, selection) => {
    const result = await gradeExercise(selection, locate({ kind: 'solutions' }, selection.lesson, selection.exercise), seed)
    const failed = result.checks.find((check) => check.status === 'fail')
    expect(failed?.failure?.message ?? 'none failed', failed?.name).toBe('none failed')
    // Every check has its Chinese name, and keeps its English one as its id.
    for (const check of result.checks) {
      expect(check.title, check.name).toMatch(/[\u4e00-\u9fff]/)
      expect(check.title, check.name).not.toBe(check.name)
    }
    expect(result.title).toMatch(/[\u4e00-\u9fff]/)
  })
})

describe.concurrent('broken programs fail on the same check in Chinese, and say so in Chinese', () => {
  test.each(fixtures().map((f) => [`${f.lesson.id}/${f.exercise.id}/${f.name}`, f] as const))('%s', async (_, fixture) => {
    const result = await gradeExercise(fixture, fixture.file, seed)
    if (result.error) {
      // A file that does not compile: the same verdict, before any check, in Chinese.
      expect(fixture.fails).toMatch(/does not compile$/)
      expect(result.error).toBe(`${fixture.name} 无法编译`)
      return
    }
    const failed = result.checks.find((check) => check.status === 'fail')
    expect(failed?.name).toBe(fixture.fails)
    if (failed!.stretch) expect(result.passed).toBe(true)
    const { message, why, details } = failed!.failure!
    expect(englishLeft(message), message).toEqual([])
    if (why) expect(englishLeft(why), why).toEqual([])
    // The evidence's own headings; the lines under them (indented) are what programs said.
    for (const line of details.filter((l) => !/^\s/.test(l))) expect(englishLeft(line), line).toEqual([])
  })
})
