// How many hints of each exercise the learner has seen, kept in .netlings/hints.json beside
// the progress file (so NETLINGS_PROGRESS moves both). Hints go gentlest first: each ask shows
// one more, so a learner who only needs a nudge is not handed the whole answer.

import { dirname, join } from 'node:path'
import type { Exercise } from '../../lessons/index.ts'
import type { ShownHint } from '../engine/results.ts'
import { tr } from '../text/lang.ts'
import { readJsonObject, writeJsonAtomically } from './json-file.ts'
import { progressFile } from './progress.ts'

/** Keyed by `lesson-3/echo-server`: how many hints were shown so far. */
export type HintState = Record<string, number>

export const hintsFile = join(dirname(progressFile), 'hints.json')

export const readHintState = (file = hintsFile): HintState => readJsonObject<HintState>(file)

export const writeHintState = (state: HintState, file = hintsFile): void => writeJsonAtomically(file, state)

export interface HintStep {
  /** 1-based number of the hint to show now. */
  shown: number
  total: number
  text: string
  /** Every hint has been shown before this one; it is repeated. */
  exhausted: boolean
}

/** The next hint after `seen` were shown; past the last, the last again. */
export function nextHint(exercise: Exercise, seen: number): HintStep {
  const total = exercise.hints.length
  const shown = Math.min(Math.max(seen, 0) + 1, total)
  return { shown, total, text: tr(exercise.hints[shown - 1]!), exhausted: seen >= total }
}

/**
 * The hint to show after `failing` failed, of the exercise's checks (`checks`, in order), when
 * the learner has read `seen` hints with `npm run hint`. A hint fits when it is about the
 * failing check or a later one, or names no check (then it is about the whole exercise); a
 * hint only about earlier checks, which passed, never fits. First choice: a hint that names the
 * failing check, the next unread one, else the most detailed one read. Then any fitting hint, in
 * the same order. Undefined when no hint fits.
 */
export function hintAfter(exercise: Exercise, checks: string[], failing: string, seen: number): ShownHint | undefined {
  const at = checks.indexOf(failing)
  if (at < 0) return undefined
  const about = (i: number) => (exercise.hintChecks[i] ?? []).map((name) => checks.indexOf(name))
  const fits = (i: number) => (exercise.hintChecks[i] ?? []).length === 0 || about(i).some((place) => place >= at)
  const names = (i: number) => about(i).includes(at)
  const all = exercise.hints.map((_, i) => i)
  const unread = all.filter((i) => i >= seen)
  const read = all.filter((i) => i < seen).reverse()
  const chosen = [names, fits].flatMap((wanted) => [unread.find(wanted), read.find(wanted)]).find((i) => i !== undefined)
  return chosen === undefined ? undefined : { number: chosen + 1, total: exercise.hints.length, text: tr(exercise.hints[chosen]!) }
}
