// The learner's progress: each exercise's last verdict, kept in .netlings/progress.json (git-
// ignored) whenever the learner grades their own lessons/. The site and the menu read it;
// grading a --dir submission or the solutions leaves it alone.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { projectRoot } from '../engine/paths.ts'
import type { ExerciseResult } from '../engine/results.ts'

export interface ExerciseProgress {
  status: 'pass' | 'fail'
  /** Required checks passed, of how many. */
  passed: number
  total: number
  /** ⭐ stretch checks passed, of how many. */
  stars: number
  starsTotal: number
  /** When it was graded, as an ISO date. */
  at: string
}

/** Keyed by `lesson-1/server`. */
export type Progress = Record<string, ExerciseProgress>

/** NETLINGS_PROGRESS moves it (the project's own tests do, to leave a learner's progress alone). */
export const progressFile = process.env.NETLINGS_PROGRESS ?? join(projectRoot, '.netlings', 'progress.json')

export function readProgress(file = progressFile): Progress {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Progress
  } catch {
    return {} // never graded yet, or a file the learner mangled: start afresh
  }
}

export function recordProgress(results: ExerciseResult[], file = progressFile, now = new Date()): void {
  const progress = readProgress(file)
  for (const result of results) {
    const required = result.checks.filter((c) => !c.stretch)
    const stretch = result.checks.filter((c) => c.stretch)
    progress[`${result.lesson}/${result.exercise}`] = {
      status: result.passed ? 'pass' : 'fail',
      passed: required.filter((c) => c.status === 'pass').length,
      total: required.length,
      stars: stretch.filter((c) => c.status === 'pass').length,
      starsTotal: stretch.length,
      at: now.toISOString(),
    }
  }
  mkdirSync(dirname(file), { recursive: true })
  // Written aside and renamed, so that a reader (the site, a second grader) never sees half a file.
  const temporary = `${file}.${process.pid}`
  writeFileSync(temporary, JSON.stringify(progress, null, 2) + '\n')
  renameSync(temporary, file)
}
