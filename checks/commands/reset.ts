// netlings reset <lesson> [exercise] [--yes]
// Puts the starter back: copies starters/<slug>/<file> over lessons/<slug>/<file>. The copies
// in starters/ are committed, so a reset works in a zip download or after `git add`, without
// git. It throws away the learner's work, so it asks first; with no terminal to ask on and no
// --yes it refuses rather than wait for input that never comes.
// Exit codes: 0 reset (or nothing to reset), 1 the learner said no, 2 usage error or refusal.

import { copyFileSync, existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import type { Lesson } from '../../lessons/index.ts'
import { isMain, lessonList, pickExercise, pickLesson, UsageError } from './hint.ts'
import { projectRoot } from '../engine/paths.ts'

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

/** One line from the terminal; Ctrl-C or Ctrl-D count as no. */
export function ask(question: string): Promise<boolean> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout })
    let answered = false
    const finish = (yes: boolean) => {
      if (answered) return
      answered = true
      rl.close()
      resolve(yes)
    }
    rl.on('SIGINT', () => {
      process.stdout.write('\n')
      finish(false)
    })
    rl.on('close', () => finish(false))
    rl.question(question, (line) => finish(/^\s*y(es)?\s*$/i.test(line)))
  })
}

const viaNpm = process.env.npm_lifecycle_event !== undefined
const command = viaNpm ? 'npm run reset --' : 'node --import tsx checks/reset.ts'

function usage(): string {
  return [
    `Usage: ${command} <lesson> [exercise] [--yes]`,
    '',
    'Puts the starter file back, throwing away your changes to it (asks first).',
    'Without an exercise: every starter file of the lesson.',
    '',
    'Lessons:',
    lessonList(),
    '',
    'Options:',
    '  --yes     do not ask (needed when there is no terminal to ask on)',
    '',
    `Example: ${command} lesson-3 echo-server`,
  ].join('\n')
}

interface Plan {
  targets: ResetTarget[]
  yes: boolean
}

function plan(argv: string[]): Plan {
  let parsed
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { yes: { type: 'boolean', short: 'y' }, help: { type: 'boolean', short: 'h' } } })
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]!)
  }
  const { values, positionals } = parsed
  if (values.help) throw new UsageError('')
  const [lessonQuery, exerciseQuery, ...extra] = positionals
  if (extra.length > 0) throw new UsageError(`Unexpected argument: ${extra[0]}`)
  const lesson = pickLesson(lessonQuery)
  const ids = exerciseQuery ? [pickExercise(lesson, exerciseQuery).id] : lesson.exercises.map((e) => e.id)
  return { targets: resetTargets(lesson, ids), yes: values.yes ?? false }
}

const shown = (file: string) => (file.startsWith(projectRoot + '/') ? file.slice(projectRoot.length + 1) : file)

async function main(): Promise<number> {
  let chosen: Plan
  try {
    chosen = plan(process.argv.slice(2))
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    process.stderr.write(`${error.message ? `netlings: ${error.message}\n\n` : ''}${usage()}\n`)
    return 2
  }
  const changed = chosen.targets.filter((t) => !t.unchanged)
  for (const t of chosen.targets.filter((t) => t.unchanged)) process.stdout.write(`${shown(t.target)} is already the starter.\n`)
  if (changed.length === 0) return 0

  if (!chosen.yes) {
    const names = changed.map((t) => shown(t.target)).join(', ')
    if (!process.stdin.isTTY) {
      process.stderr.write(`netlings: not resetting ${names}: there is no terminal to ask on. Add --yes to reset without asking.\n`)
      return 2
    }
    const question = changed.length === 1 ? `Reset ${names} to the starter?` : `Reset ${names} to the starters?`
    if (!(await ask(`${question} Your changes will be lost. [y/N] `))) {
      process.stdout.write('Nothing was changed.\n')
      return 1
    }
  }
  for (const t of changed) {
    copyFileSync(t.starter, t.target)
    process.stdout.write(`✓ ${shown(t.target)} is the starter again.\n`)
  }
  return 0
}

if (isMain(import.meta.url)) {
  main().then(
    (code) => {
      process.exitCode = code
    },
    (error: unknown) => {
      process.stderr.write(`netlings: reset failed: ${error instanceof Error ? error.message : String(error)}\n`)
      if (process.env.NETLINGS_DEBUG) console.error(error)
      process.exitCode = 3
    },
  )
}
