// The lesson list is the one source of truth: every lesson and exercise it names exists on
// disk, has checks, hints and a solution, and every README section a check points to exists.

import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { checksFor } from '../checks/engine/grade.ts'
import { sectionsOfLesson } from '../checks/engine/see.ts'
import { findExercise, findLesson, lessons } from '../lessons/index.ts'
import { root } from './helpers.ts'

describe.each(lessons.map((lesson) => [lesson.id, lesson] as const))('%s', (_, lesson) => {
  test('has a README, a starter and a solution for every exercise, and nothing else', () => {
    expect(lesson.slug.startsWith(`${lesson.id}-`)).toBe(true)
    expect(existsSync(join(root, 'lessons', lesson.slug, 'README.md'))).toBe(true)
    const files = lesson.exercises.map((e) => e.file).sort()
    expect(readdirSync(join(root, 'lessons', lesson.slug)).filter((f) => f.endsWith('.ts')).sort()).toEqual(files)
    expect(readdirSync(join(root, 'solutions', lesson.slug)).filter((f) => f.endsWith('.ts')).sort()).toEqual(files)
  })

  test('every exercise has checks, and hints to give', async () => {
    for (const exercise of lesson.exercises) {
      const checks = await checksFor(lesson, exercise)
      expect(checks?.build().length, `${lesson.id} ${exercise.id}`).toBeGreaterThan(0)
      expect(exercise.hints.length).toBeGreaterThan(0)
      for (const hint of exercise.hints) expect(hint.trim()).not.toBe('')
    }
  })

  test('every README section its checks point to exists', () => {
    const source = readFileSync(join(root, 'checks', 'lessons', `${lesson.id}.ts`), 'utf8')
    // `see: 'anchor'` in a check, or the anchor handed to a shared story: `...refusedConnection('anchor')`.
    const anchors = [...source.matchAll(/see: '([^']+)'|\.\.\.\w+\('([^']+)'/g)].map((m) => (m[1] ?? m[2])!)
    expect(anchors.length).toBeGreaterThan(0)
    for (const see of anchors) {
      const [lessonId, anchor] = see.includes('#') ? see.split('#') : [lesson.id, see]
      const target = findLesson(lessonId!)
      expect(target, see).toBeDefined()
      expect(sectionsOfLesson(target!).map((s) => s.anchor), see).toContain(anchor)
    }
  })

  test('the README explains the exercise, the checks and how to run it by hand', () => {
    const anchors = sectionsOfLesson(lesson).map((s) => s.anchor)
    for (const anchor of ['the-exercise', 'what-the-grader-checks', 'run-it-by-hand']) expect(anchors).toContain(anchor)
  })
})

test('ids and names are unique and findable in every form the CLI accepts', () => {
  expect(new Set(lessons.map((l) => l.id)).size).toBe(lessons.length)
  expect(new Set(lessons.map((l) => l.slug)).size).toBe(lessons.length)
  for (const lesson of lessons) {
    for (const name of [lesson.id, String(lesson.number), lesson.slug, lesson.slug.slice(lesson.id.length + 1)]) {
      expect(findLesson(name)?.id).toBe(lesson.id)
    }
    for (const exercise of lesson.exercises) {
      for (const name of [exercise.id, exercise.file, exercise.number]) expect(findExercise(lesson, name)?.id).toBe(exercise.id)
    }
  }
  expect(findLesson('lesson-99')).toBeUndefined()
})

test('every lesson folder on disk is in the list', () => {
  const slugs = lessons.map((l) => l.slug).sort()
  expect(readdirSync(join(root, 'lessons'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()).toEqual(slugs)
  expect(readdirSync(join(root, 'solutions')).sort()).toEqual(slugs)
})
