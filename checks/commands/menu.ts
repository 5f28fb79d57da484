// npm start: the learner's front door. In a terminal, a menu (like rustlings' list): every
// exercise with its status from the progress file (✓ passed, ✗ not yet, ○ not tried); pick one,
// then check it, see its next hint, reset it, or learn how to open the site. Without a terminal
// (CI, a pipe) it never prompts: it prints the list and how to use the other commands, and exits.
// Exit codes: 0 always (quit, Ctrl-C or no terminal); 3 the menu itself broke.

import { copyFileSync } from 'node:fs'
import type { PromptObject } from 'prompts'
import { join } from 'node:path'
import { lessons, type Exercise, type Lesson } from '../../lessons/index.ts'
import { grade, type Source } from '../engine/grade.ts'
import { liveOnTerminal } from '../report/live.ts'
import { runHint } from './hint.ts'
import { hintsFile } from '../state/hints.ts'
import { projectRoot } from '../engine/paths.ts'
import { MARK_SYMBOLS, markOf, progressFile, readProgress, recordProgress, type Progress } from '../state/progress.ts'
import { wantsColor } from '../text/style.ts'
import { allExercises, commandName, firstOpen, keyOf, noMoreThan, parse, reapOnSignals, type Command } from './kit.ts'
import { newSeed } from '../engine/random.ts'
import { renderText } from '../report/text.ts'
import { confirmReset, lessonsDir as defaultLessonsDir, resetTargets, startersDir } from './reset.ts'
import { stopAll } from '../run/program.ts'

export interface MenuIO {
  /** Where the menu's own output goes, a line (or a few joined by \n) at a time. */
  print(text: string): void
  /** A terminal on both stdin and stdout: only then does the menu ask anything. */
  interactive: boolean
  /** Colours in the grader's report. */
  color?: boolean
  /** Where progress and hint state live (NETLINGS_PROGRESS moves both). */
  files?: { progress: string; hints: string }
  /** The learner's lessons/ (NETLINGS_LESSONS_DIR moves it). */
  lessonsDir?: string
  startersDir?: string
}

/** The site's address when `npm run site` runs with its default port (scripts/site.ts). */
export const SITE_URL = 'http://127.0.0.1:4173/'

const symbolOf = (progress: Progress, lesson: Lesson, exercise: Exercise) => MARK_SYMBOLS[markOf(progress, lesson.id, exercise.id).mark]

function detailOf(progress: Progress, lesson: Lesson, exercise: Exercise): string {
  const entry = progress[keyOf(lesson, exercise)]
  if (!entry) return 'not tried yet'
  const stars = entry.starsTotal ? `, ⭐ ${entry.stars} of ${entry.starsTotal}` : ''
  return `${entry.status === 'pass' ? 'passed' : 'not yet'}: ${entry.passed} of ${entry.total} checks${stars}`
}

const all = allExercises

/** Every lesson and exercise with its mark, for the list and for the non-terminal output. */
export function statusList(progress: Progress): string[] {
  const total = all().length
  const passed = all().filter(({ lesson, exercise }) => symbolOf(progress, lesson, exercise) === '✓').length
  const lines = [`netlings: ${passed} of ${total} exercises passed  (✓ passed, ✗ not yet, ○ not tried)`]
  for (const lesson of lessons) {
    lines.push('', `${lesson.id.padEnd(9)} ${lesson.title}`)
    for (const exercise of lesson.exercises) {
      lines.push(`  ${symbolOf(progress, lesson, exercise)} ${exercise.number.padEnd(4)} ${exercise.id.padEnd(15)} ${exercise.title}`)
    }
  }
  return lines
}

export function usageLines(): string[] {
  return [
    'Usage:',
    '  npm run check lesson-1       grade a lesson (or one exercise: npm run check lesson-3 echo-server)',
    '  npm run hint lesson-1        the next hint for the first exercise you have not passed',
    '  npm run watch                re-grade your exercise each time you save it',
    `  npm run site                 read the lessons in your browser, at ${SITE_URL}`,
    '  npm start                    this list as a menu, in a terminal',
  ]
}

type Action = 'check' | 'hint' | 'reset' | 'site' | 'back' | 'quit'

/** An answer, or undefined when the learner cancelled (Ctrl-C, Esc): the menu then quits. */
async function ask<T>(question: PromptObject<'answer'>): Promise<T | undefined> {
  let cancelled = false
  const answers = await (await import('prompts')).default(question, {
    onCancel: () => {
      cancelled = true
      return false
    },
  })
  return cancelled ? undefined : (answers.answer as T | undefined)
}

/** The menu. Resolves with the exit code once the learner quits; tests drive it with prompts.inject. */
export async function runMenu(io: MenuIO): Promise<number> {
  const files = io.files ?? { progress: progressFile, hints: hintsFile }
  const lessonsDir = io.lessonsDir ?? defaultLessonsDir
  const dirs = { lessons: lessonsDir, starters: io.startersDir ?? startersDir }

  if (!io.interactive) {
    io.print([...statusList(readProgress(files.progress)), '', ...usageLines(), ''].join('\n'))
    return 0
  }

  // The learner's own lessons/ as cli.ts grades it; a moved one (NETLINGS_LESSONS_DIR) as a submission.
  const source: Source = lessonsDir === join(projectRoot, 'lessons') ? { kind: 'lessons' } : { kind: 'dir', dir: lessonsDir }

  const check = async (lesson: Lesson, exercise: Exercise) => {
    io.print(`Grading ${lesson.id} ${exercise.id}…`)
    const live = liveOnTerminal(1, io.color ?? false)
    let result
    try {
      result = await grade([{ lesson, exercise }], [source], newSeed(), { observer: live })
    } finally {
      live?.stop()
    }
    recordProgress(result.exercises, files.progress)
    io.print(renderText(result, { color: io.color ?? false, rerun: `${commandName('check')} ${lesson.id} ${exercise.id}` }))
  }

  const reset = async (lesson: Lesson, exercise: Exercise) => {
    const [target] = resetTargets(lesson, [exercise.id], dirs)
    if (!target) return
    if (target.unchanged) {
      io.print(`lessons/${lesson.slug}/${exercise.file} is already the starter.`)
      return
    }
    const yes = await confirmReset(`lessons/${lesson.slug}/${exercise.file}`)
    if (!yes) {
      io.print('Nothing was changed.')
      return
    }
    copyFileSync(target.starter, target.target)
    io.print(`✓ lessons/${lesson.slug}/${exercise.file} is the starter again.`)
  }

  try {
    for (;;) {
      const progress = readProgress(files.progress)
      const choices = all().map(({ lesson, exercise }) => ({
        title: `${symbolOf(progress, lesson, exercise)} ${exercise.number.padEnd(4)} ${lesson.id} ${exercise.id}`,
        description: `${exercise.title} (${detailOf(progress, lesson, exercise)})`,
        value: keyOf(lesson, exercise),
      }))
      const open = firstOpen(progress)
      const start = open ? all().findIndex(({ lesson, exercise }) => keyOf(lesson, exercise) === keyOf(open.lesson, open.exercise)) : 0
      const picked = await ask<string>({
        type: 'select',
        name: 'answer',
        message: 'Pick an exercise (✓ passed, ✗ not yet, ○ not tried)',
        choices: [...choices, { title: 'Quit', value: 'quit' }],
        initial: start,
      })
      if (picked === undefined || picked === 'quit') return 0
      const chosen = all().find(({ lesson, exercise }) => keyOf(lesson, exercise) === picked)
      if (!chosen) continue
      const { lesson, exercise } = chosen

      for (let back = false; !back; ) {
        const action = await ask<Action>({
          type: 'select',
          name: 'answer',
          message: `${exercise.number} ${exercise.title}  (lessons/${lesson.slug}/${exercise.file})`,
          choices: [
            { title: 'Check it', value: 'check', description: 'grade it and show the report' },
            { title: 'Next hint', value: 'hint', description: 'one more hint, gentlest first' },
            { title: 'Reset it', value: 'reset', description: 'put the starter back (asks first)' },
            { title: 'Open the site', value: 'site', description: 'how to read the lessons in your browser' },
            { title: 'Back', value: 'back', description: 'to the list of exercises' },
            { title: 'Quit', value: 'quit' },
          ],
        })
        switch (action) {
          case undefined:
          case 'quit':
            return 0
          case 'back':
            back = true
            break
          case 'check':
            await check(lesson, exercise)
            break
          case 'hint':
            io.print(runHint([lesson.id, exercise.id], files))
            break
          case 'reset':
            await reset(lesson, exercise)
            break
          case 'site':
            io.print(`Run this in another terminal:  npm run site\nIt serves the lessons at ${SITE_URL} (Ctrl-C there stops it).`)
            break
        }
      }
    }
  } finally {
    await stopAll()
  }
}

async function run(argv: string[]): Promise<number> {
  noMoreThan(parse(argv, {}).positionals, 0)
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true
  // Ctrl-C while a check runs (no prompt is listening then) must not leave a learner's program running.
  reapOnSignals()
  const print = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`)
  return runMenu({ print, interactive, color: interactive && wantsColor(process.stdout) })
}

function usage(): string {
  return [`Usage: ${commandName('menu')}`, '', 'Every exercise with its status; in a terminal, a menu to check one, see its next hint or reset it.', '', ...usageLines()].join('\n')
}

export const command: Command = { name: 'menu', summary: 'every exercise with its status, as a menu in a terminal', usage, run }
