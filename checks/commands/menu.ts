// npm start: the learner's front door. In a terminal, a menu (like rustlings' list): every
// exercise with its status from the progress file (✓ passed, ✗ not yet, ○ not tried); pick one,
// then check it, see its next hint, reset it, or learn how to open the site; or switch the
// language (English, 简体中文) at once, remembered in .netlings/settings.json. Without a terminal
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
import { allExercises, commandName, firstOpen, keyOf, langOption, noMoreThan, parse, reapOnSignals, type Command } from './kit.ts'
import { lang, LANGS, setLang, settingsFile, t, tr, type Lang } from '../text/lang.ts'
import { readJsonObject, writeJsonAtomically } from '../state/json-file.ts'
import { shownPath } from '../engine/paths.ts'
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
  /** Where the language chosen in the menu is remembered (NETLINGS_SETTINGS moves it). */
  settings?: string
}

/** The site's address when `npm run site` runs with its default port (scripts/site.ts). */
export const SITE_URL = 'http://127.0.0.1:4173/'

const symbolOf = (progress: Progress, lesson: Lesson, exercise: Exercise) => MARK_SYMBOLS[markOf(progress, lesson.id, exercise.id).mark]

function detailOf(progress: Progress, lesson: Lesson, exercise: Exercise): string {
  const entry = progress[keyOf(lesson, exercise)]
  if (!entry) return t('not tried yet')
  const stars = entry.starsTotal ? t`, ⭐ ${entry.stars} of ${entry.starsTotal}` : ''
  const checks = entry.status === 'pass' ? t`passed: ${entry.passed} of ${entry.total} checks` : t`not yet: ${entry.passed} of ${entry.total} checks`
  return `${checks}${stars}`
}

const all = allExercises

/** Every lesson and exercise with its mark, for the list and for the non-terminal output. */
export function statusList(progress: Progress): string[] {
  const total = all().length
  const passed = all().filter(({ lesson, exercise }) => symbolOf(progress, lesson, exercise) === '✓').length
  const lines = [`netlings: ${t`${passed} of ${total} exercises passed`}  ${t('(✓ passed, ✗ not yet, ○ not tried)')}`]
  for (const lesson of lessons) {
    lines.push('', `${lesson.id.padEnd(9)} ${tr(lesson.title)}`)
    for (const exercise of lesson.exercises) {
      lines.push(`  ${symbolOf(progress, lesson, exercise)} ${exercise.number.padEnd(4)} ${exercise.id.padEnd(15)} ${tr(exercise.title)}`)
    }
  }
  return lines
}

export function usageLines(): string[] {
  return [
    t('Usage:'),
    `  npm run check lesson-1       ${t('grade a lesson (or one exercise: npm run check lesson-3 echo-server)')}`,
    `  npm run hint lesson-1        ${t('the next hint for the first exercise you have not passed')}`,
    `  npm run watch                ${t('re-grade your exercise each time you save it')}`,
    `  npm run site                 ${t`read the lessons in your browser, at ${SITE_URL}`}`,
    `  npm start                    ${t('this list as a menu, in a terminal')}`,
  ]
}

type Action = 'check' | 'hint' | 'reset' | 'site' | 'back' | 'quit'

/** The menu's item for the language: in both, so that it can be found whichever is spoken. */
const LANGUAGE_ITEM = 'English / 简体中文'
const LANGUAGE_NAMES: Record<Lang, string> = { en: 'English', 'zh-CN': '简体中文' }

/** The first question: which exercise (or the language, or quit), starting on the first not passed. */
export function listQuestion(progress: Progress): PromptObject<'answer'> {
  const choices = all().map(({ lesson, exercise }) => ({
    title: `${symbolOf(progress, lesson, exercise)} ${exercise.number.padEnd(4)} ${lesson.id} ${exercise.id}`,
    description: `${tr(exercise.title)} (${detailOf(progress, lesson, exercise)})`,
    value: keyOf(lesson, exercise),
  }))
  const open = firstOpen(progress)
  const start = open ? all().findIndex(({ lesson, exercise }) => keyOf(lesson, exercise) === keyOf(open.lesson, open.exercise)) : 0
  return {
    type: 'select',
    name: 'answer',
    message: t('Pick an exercise (✓ passed, ✗ not yet, ○ not tried)'),
    choices: [...choices, { title: LANGUAGE_ITEM, value: 'language', description: t('the language netlings speaks, here and in every command (remembered)') }, { title: t('Quit'), value: 'quit' }],
    initial: start,
  }
}

/** The second question: what to do with the exercise picked. */
export function actionQuestion(lesson: Lesson, exercise: Exercise): PromptObject<'answer'> {
  return {
    type: 'select',
    name: 'answer',
    message: `${exercise.number} ${tr(exercise.title)}  (lessons/${lesson.slug}/${exercise.file})`,
    choices: [
      { title: t('Check it'), value: 'check', description: t('grade it and show the report') },
      { title: t('Next hint'), value: 'hint', description: t('one more hint, gentlest first') },
      { title: t('Reset it'), value: 'reset', description: t('put the starter back (asks first)') },
      { title: t('Open the site'), value: 'site', description: t('how to read the lessons in your browser') },
      { title: t('Back'), value: 'back', description: t('to the list of exercises') },
      { title: t('Quit'), value: 'quit' },
    ],
  }
}

/** The language, switched at once (every text from now on is in it) and remembered for the
 * next commands, beside whatever else the settings file holds. */
export function switchLanguage(chosen: Lang, settings = settingsFile): string {
  setLang(chosen)
  writeJsonAtomically(settings, { ...readJsonObject<Record<string, unknown>>(settings), lang: chosen })
  return t`Language: ${LANGUAGE_NAMES[chosen]}. Remembered in ${shownPath(settings)}.`
}

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
    io.print(t`Grading ${`${lesson.id} ${exercise.id}`}…`)
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
    const file = `lessons/${lesson.slug}/${exercise.file}`
    if (target.unchanged) {
      io.print(t`${file} is already the starter.`)
      return
    }
    const yes = await confirmReset(file)
    if (!yes) {
      io.print(t('Nothing was changed.'))
      return
    }
    copyFileSync(target.starter, target.target)
    io.print(`✓ ${t`${file} is the starter again.`}`)
  }

  try {
    for (;;) {
      const picked = await ask<string>(listQuestion(readProgress(files.progress)))
      if (picked === undefined || picked === 'quit') return 0
      if (picked === 'language') {
        const chosen = await ask<Lang>({
          type: 'select',
          name: 'answer',
          message: 'Language / 语言',
          choices: LANGS.map((code) => ({ title: LANGUAGE_NAMES[code], value: code })),
          initial: LANGS.indexOf(lang()),
        })
        if (chosen === undefined) return 0
        io.print(switchLanguage(chosen, io.settings))
        continue
      }
      const chosen = all().find(({ lesson, exercise }) => keyOf(lesson, exercise) === picked)
      if (!chosen) continue
      const { lesson, exercise } = chosen

      for (let back = false; !back; ) {
        const action = await ask<Action>(actionQuestion(lesson, exercise))
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
            io.print(t`Run this in another terminal:  npm run site\nIt serves the lessons at ${SITE_URL} (Ctrl-C there stops it).`)
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
  return [
    t`Usage: ${commandName('menu')}`,
    '',
    t('Every exercise with its status; in a terminal, a menu to check one, see its next hint or reset it.'),
    t('The menu also switches the language (English / 简体中文), and remembers it for every command.'),
    '',
    ...usageLines(),
    '',
    t('Options:'),
    langOption(12),
  ].join('\n')
}

export const command: Command = { name: 'menu', summary: t('every exercise with its status, as a menu in a terminal'), usage, run }
