// netlings hint [lesson] [exercise] [--all]
// Progressive hints from lessons/index.ts, gentlest first (state/hints.ts counts them). With
// no lesson named, like `rustlings hint`: the first exercise of the course not passed yet (kit's
// firstOpen, where the menu starts too), or one line saying that every exercise passes.
// Exit codes: 0 a hint was shown, or there was none left to give (2 and 3 as every command: kit.ts).

import type { Exercise, Lesson } from '../../lessons/index.ts'
import { hintsFile, nextHint, readHintState, writeHintState } from '../state/hints.ts'
import { progressFile, readProgress } from '../state/progress.ts'
import { commandName, firstOpen, firstUnpassed, keyOf, langOption, lessonList, noMoreThan, parse, pickExercise, pickLesson, type Command } from './kit.ts'
import { t, tr } from '../text/lang.ts'

function usage(): string {
  const command = commandName('hint')
  return [
    t`Usage: ${command} [lesson] [exercise] [--all]`,
    '',
    t('Shows the next hint for an exercise, gentlest first; each call shows one more.'),
    t('Without an exercise: the first of the lesson you have not passed yet.'),
    t('Without a lesson: the first exercise of the course you have not passed yet\n(once every exercise passes, it says so).'),
    '',
    t('Lessons:'),
    lessonList(),
    '',
    t('Options:'),
    `  --all     ${t('print every hint of the exercise at once')}`,
    langOption(12),
    '',
    t`Example: ${command} lesson-3 echo-server`,
  ].join('\n')
}

/** A hint's text for a terminal: a raw \r in a hint (lesson 3 has one) would send the cursor back over the line. */
const printable = (text: string) => text.replace(/\r/g, '\\r').replace(/\n/g, '\\n')

/** Which exercise the learner means, and why that one when they did not say; undefined when
 * they named none and every exercise passes. */
function pick(lessonQuery: string | undefined, exerciseQuery: string | undefined, progressAt: string): { lesson: Lesson; exercise: Exercise; note?: string } | undefined {
  const progress = readProgress(progressAt)
  if (!lessonQuery) {
    const open = firstOpen(progress)
    if (!open) return undefined
    return { ...open, note: t('(the first exercise of the course not passed yet; name another: npm run hint lesson-N [exercise])') }
  }
  const lesson = pickLesson(lessonQuery)
  if (exerciseQuery) return { lesson, exercise: pickExercise(lesson, exerciseQuery) }
  const exercise = firstUnpassed(lesson, progress)
  const note = lesson.exercises.length > 1 ? t`(the first exercise of ${lesson.id} not passed yet; name another: ${lesson.exercises.map((e) => e.id).join(', ')})` : undefined
  return { lesson, exercise, note }
}

export function runHint(argv: string[], files = { progress: progressFile, hints: hintsFile }): string {
  const { values, positionals } = parse(argv, { all: { type: 'boolean' } })
  noMoreThan(positionals, 2)
  const picked = pick(positionals[0], positionals[1], files.progress)
  if (!picked) return `${t('Every exercise passes, so there is no hint to give. Name one to see its hints: npm run hint lesson-N [exercise]')}\n`
  const { lesson, exercise, note } = picked

  const lines = [`${exercise.number} ${tr(exercise.title)} (lessons/${lesson.slug}/${exercise.file})`]
  if (note) lines.push(note)
  lines.push('')
  if (values.all) {
    // Reading them all is the learner's choice; it does not move the counter.
    exercise.hints.forEach((text, i) => lines.push(t`Hint ${i + 1} of ${exercise.hints.length}: ${printable(tr(text))}`, ''))
    return lines.join('\n')
  }
  const key = keyOf(lesson, exercise)
  const state = readHintState(files.hints)
  const step = nextHint(exercise, state[key] ?? 0)
  state[key] = step.shown
  writeHintState(state, files.hints)
  lines.push(t`Hint ${step.shown} of ${step.total}: ${printable(tr(step.text))}`, '')
  if (step.exhausted) lines.push(t('There are no more hints for this exercise. The lesson README explains the rest.'), '')
  else if (step.shown === step.total) lines.push(t('That was the last hint.'), '')
  else lines.push(t`Stuck still? Run the same command again for hint ${step.shown + 1}.`, '')
  return lines.join('\n')
}

export const command: Command = {
  name: 'hint',
  summary: t('the next hint for the exercise you are on'),
  usage,
  run: async (argv) => {
    process.stdout.write(runHint(argv))
    return 0
  },
}
