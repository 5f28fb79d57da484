// How many hints of each exercise the learner has seen, kept in .netlings/hints.json beside
// the progress file (so NETLINGS_PROGRESS moves both). Hints go gentlest first: each ask shows
// one more, so a learner who only needs a nudge is not handed the whole answer.

import { dirname, join } from 'node:path'
import type { Exercise } from '../../lessons/index.ts'
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
  return { shown, total, text: exercise.hints[shown - 1]!, exhausted: seen >= total }
}
