// Turns a check's `see: 'tcp-is-a-byte-stream'` into the README file and heading a learner
// can open. An anchor that names no heading is a bug the registry test catches. In Chinese,
// where the lesson has a README.zh-CN.md, it is that file and the heading of the section whose
// `<!-- en: … -->` line names the anchor.

import { existsSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { findLesson, type Lesson } from '../../lessons/index.ts'
import { sectionsOf } from '../../lessons/sections.ts'
import { CHINESE_README, chineseParts } from '../../lessons/translation.ts'
import { lang } from '../text/lang.ts'
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

/** The Chinese README's headings by the English anchor each translates. */
const chineseCache = new Map<string, Map<string, string>>()

function chineseTitles(file: string): Map<string, string> {
  let titles = chineseCache.get(file)
  if (!titles) {
    titles = new Map()
    for (const part of chineseParts(readFileSync(file, 'utf8'))) if (part.anchor && !titles.has(part.anchor)) titles.set(part.anchor, part.title)
    chineseCache.set(file, titles)
  }
  return titles
}

/** `anchor` or `lesson-2#anchor`, relative to `lesson`. The anchor stays the English one: an
 * id, as the check names it. */
export function resolveSee(see: string | undefined, lesson: Lesson): SeeAlso | undefined {
  if (!see) return undefined
  const [lessonPart, anchor] = see.includes('#') ? see.split('#') : [lesson.id, see]
  const target = findLesson(lessonPart!) ?? lesson
  const section = sectionsOfLesson(target).find((s) => s.anchor === anchor)
  if (lang() === 'zh-CN') {
    const chinese = join(projectRoot, 'lessons', target.slug, CHINESE_README)
    const title = existsSync(chinese) ? chineseTitles(chinese).get(anchor!) : undefined
    if (title !== undefined) return { file: relative(projectRoot, chinese), anchor: anchor!, section: title }
  }
  return { file: relative(projectRoot, readmeOf(target)), anchor: anchor!, section: section?.title ?? anchor! }
}
