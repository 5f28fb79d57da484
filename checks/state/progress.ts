// The learner's progress: each exercise's last verdict, kept in .netlings/progress.json (git-
// ignored) whenever the learner grades their own lessons/. The site and the menu read it;
// grading a --dir submission or the solutions leaves it alone.

import { join } from 'node:path'
import { projectRoot } from '../engine/paths.ts'
import type { ExerciseResult } from '../engine/results.ts'
import { readJsonObject, writeJsonAtomically } from './json-file.ts'

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

/** Never graded yet, or a file the learner mangled: start afresh. */
export const readProgress = (file = progressFile): Progress => readJsonObject<Progress>(file)

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
  writeJsonAtomically(file, progress)
}

/** An exercise as the menu and the site mark it: passed, failed or not tried. */
export type Mark = 'pass' | 'fail' | 'none'

export const MARK_SYMBOLS: Record<Mark, string> = { pass: '✓', fail: '✗', none: '○' }

export function markOf(progress: Progress, lessonId: string, exerciseId: string): { mark: Mark; entry?: ExerciseProgress } {
  const entry = progress[`${lessonId}/${exerciseId}`]
  if (!entry) return { mark: 'none' }
  return { mark: entry.status === 'pass' ? 'pass' : 'fail', entry }
}
