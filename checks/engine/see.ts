// Turns a check's `see: 'tcp-is-a-byte-stream'` into the README file and heading a learner
// can open. An anchor that names no heading is a bug the registry test catches.

import { existsSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { findLesson, type Lesson } from '../../lessons/index.ts'
import { sectionsOf } from '../../lessons/sections.ts'
import { projectRoot } from './paths.ts'
import type { SeeAlso } from './results.ts'

const cache = new Map<string, ReturnType<typeof sectionsOf>>()

export function readmeOf(lesson: Lesson): string {
  return join(projectRoot, 'lessons', lesson.slug, 'README.md')
}

export function sectionsOfLesson(lesson: Lesson): ReturnType<typeof sectionsOf> {
  const file = readmeOf(lesson)
  let sections = cache.get(file)
  if (!sections) {
    sections = existsSync(file) ? sectionsOf(readFileSync(file, 'utf8')) : []
    cache.set(file, sections)
  }
  return sections
}

/** `anchor` or `lesson-2#anchor`, relative to `lesson`. */
export function resolveSee(see: string | undefined, lesson: Lesson): SeeAlso | undefined {
  if (!see) return undefined
  const [lessonPart, anchor] = see.includes('#') ? see.split('#') : [lesson.id, see]
  const target = findLesson(lessonPart!) ?? lesson
  const section = sectionsOfLesson(target).find((s) => s.anchor === anchor)
  return { file: relative(projectRoot, readmeOf(target)), anchor: anchor!, section: section?.title ?? anchor! }
}
