// netlings reset <lesson> [exercise] [--yes]
// Puts the starter back: copies starters/<slug>/<file> over lessons/<slug>/<file>. The copies
// in starters/ are committed, so a reset works in a zip download or after `git add`, without
// git. It throws away the learner's work, so it asks first; with no terminal to ask on and no
// --yes it refuses rather than wait for input that never comes.
// Exit codes: 0 reset (or nothing to reset), 1 the learner said no (2 and 3: kit.ts).

import { copyFileSync, existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Lesson } from '../../lessons/index.ts'
import { projectRoot } from '../engine/paths.ts'
import { commandName, langOption, lessonList, noMoreThan, parse, pickExercise, pickLesson, type Command } from './kit.ts'
import { t } from '../text/lang.ts'

/** NETLINGS_LESSONS_DIR moves the learner's lessons/ (tests reset a temporary copy, never the real one). */
export const lessonsDir = process.env.NETLINGS_LESSONS_DIR ?? join(projectRoot, 'lessons')
export const startersDir = join(projectRoot, 'starters')

export interface ResetTarget {
  starter: string
  target: string
  /** The target already holds the starter's bytes: nothing to lose, nothing to do. */
  unchanged: boolean
}

export function resetTargets(lesson: Lesson, exerciseIds: string[], dirs = { lessons: lessonsDir, starters: startersDir }): ResetTarget[] {
  return lesson.exercises
    .filter((e) => exerciseIds.includes(e.id))
    .map((e) => {
      const starter = join(dirs.starters, lesson.slug, e.file)
      const target = join(dirs.lessons, lesson.slug, e.file)
      if (!existsSync(starter)) throw new Error(`the pristine copy ${starter} is missing`)
      const unchanged = existsSync(target) && readFileSync(target).equals(readFileSync(starter))
      return { starter, target, unchanged }
    })
}

/** Asks before throwing work away; Ctrl-C, Esc or no count as no. (The menu asks the same.) */
export async function confirmReset(names: string): Promise<boolean> {
  let cancelled = false
  const { answer } = (await (await import('prompts')).default(
    { type: 'confirm', name: 'answer', message: t`Reset ${names} to the starter? Your changes will be lost.`, initial: false },
    { onCancel: () => ((cancelled = true), false) },
  )) as { answer?: boolean }
  return !cancelled && answer === true
}

function usage(): string {
  const command = commandName('reset')
  return [
    t`Usage: ${command} <lesson> [exercise] [--yes]`,
    '',
    t('Puts the starter file back, throwing away your changes to it (asks first).'),
    t('Without an exercise: every starter file of the lesson.'),
    '',
    t('Lessons:'),
    lessonList(),
    '',
    t('Options:'),
    `  --yes     ${t('do not ask (needed when there is no terminal to ask on)')}`,
    langOption(12),
    '',
    t`Example: ${command} lesson-3 echo-server`,
  ].join('\n')
}

const shown = (file: string) => (file.startsWith(projectRoot + '/') ? file.slice(projectRoot.length + 1) : file)

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { yes: { type: 'boolean', short: 'y' } })
  noMoreThan(positionals, 2)
  const lesson = pickLesson(positionals[0])
  const ids = positionals[1] ? [pickExercise(lesson, positionals[1]).id] : lesson.exercises.map((e) => e.id)
  const targets = resetTargets(lesson, ids)
  const changed = targets.filter((target) => !target.unchanged)
  for (const target of targets.filter((target) => target.unchanged)) process.stdout.write(`${t`${shown(target.target)} is already the starter.`}\n`)
  if (changed.length === 0) return 0

  if (!values.yes) {
    const names = changed.map((target) => shown(target.target)).join(', ')
    if (!process.stdin.isTTY) {
      process.stderr.write(`netlings: ${t`not resetting ${names}: there is no terminal to ask on. Add --yes to reset without asking.`}\n`)
      return 2
    }
    if (!(await confirmReset(names))) {
      process.stdout.write(`${t('Nothing was changed.')}\n`)
      return 1
    }
  }
  for (const target of changed) {
    copyFileSync(target.starter, target.target)
    process.stdout.write(`✓ ${t`${shown(target.target)} is the starter again.`}\n`)
  }
  return 0
}

export const command: Command = { name: 'reset', summary: t("put an exercise's starter file back (asks first)"), usage, run }
