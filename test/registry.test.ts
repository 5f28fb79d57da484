// The lesson list is the one source of truth: every lesson and exercise it names exists on
// disk, has checks, hints and a solution, and every README section a check points to exists.
// These are dev-check's own static checks (commands/dev-check.ts), run here as they are there.

import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { anchorsOfChecks, staticItems } from '../checks/commands/dev-check.ts'
import { checksFor } from '../checks/engine/grade.ts'
import { findExercise, findLesson, lessons } from '../lessons/index.ts'
import { root } from './helpers.ts'

test('dev-check finds nothing to fix in the registry, the files, the checks and the READMEs', async () => {
  const items = await staticItems()
  expect(items.filter((item) => !item.ok)).toEqual([])
  // Every exercise's checks were looked for, and every lesson points its checks at the README.
  for (const lesson of lessons) {
    for (const exercise of lesson.exercises) expect(items.some((i) => i.what === `${lesson.id} ${exercise.id}: has checks`)).toBe(true)
    expect(anchorsOfChecks(lesson).length, lesson.id).toBeGreaterThan(0)
  }
})

test("an exercise's checks are found by its file, and an exercise without that file has none", async () => {
  const lesson = lessons[0]!
  const exercise = lesson.exercises[0]!
  expect(existsSync(join(root, 'checks', 'lessons', lesson.id, `${exercise.id}.ts`))).toBe(true)
  expect((await checksFor(lesson, exercise))?.build().length).toBeGreaterThan(0)
  expect(await checksFor(lesson, { ...exercise, id: 'no-such-exercise' })).toBeUndefined()
})

test('ids and names are unique and findable in every form the CLI accepts', () => {
  expect(new Set(lessons.map((l) => l.id)).size).toBe(lessons.length)
  expect(new Set(lessons.map((l) => l.slug)).size).toBe(lessons.length)
  for (const lesson of lessons) {
    expect(lesson.slug.startsWith(`${lesson.id}-`)).toBe(true)
    for (const name of [lesson.id, String(lesson.number), lesson.slug, lesson.slug.slice(lesson.id.length + 1)]) {
      expect(findLesson(name)?.id).toBe(lesson.id)
    }
    for (const exercise of lesson.exercises) {
      for (const name of [exercise.id, exercise.file, exercise.number]) expect(findExercise(lesson, name)?.id).toBe(exercise.id)
    }
  }
  expect(findLesson('lesson-99')).toBeUndefined()
})

test('the registry names each demo server, and it starts', async () => {
  const withDemo = lessons.filter((lesson) => lesson.demo)
  expect(withDemo.map((l) => l.id)).toEqual(['lesson-5', 'lesson-6', 'lesson-7'])
  for (const lesson of withDemo) {
    const { startDemoServer } = (await import(join(root, lesson.demo!))) as { startDemoServer: (port: number, host: string, log: (line: string) => void) => Promise<import('node:http').Server> }
    const server = await startDemoServer(0, '127.0.0.1', () => {})
    server.close()
  }
})
