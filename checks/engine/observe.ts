// What the grader is doing right now, for whoever wants to show it (a spinner on a terminal).
// Grading reports here as it goes; nothing here can change a verdict, and without an
// observer grading is exactly the same.

import type { CheckStatus } from './results.ts'

export interface ExerciseJob {
  lesson: string
  exercise: string
  /** The submission folder, when grading a class. */
  submission?: string
}

export interface RunningCheck {
  name: string
  /** The name in the language of the run. */
  title: string
  stretch: boolean
  /** 1-based position among the exercise's checks. */
  index: number
  total: number
  /** Bytes moved between the grader's peers and the program since this check began (sent
   * plus received), read on demand: counting costs nothing on the transfer's hot path. */
  bytes(): number
}

export interface ExerciseObserver {
  checkStarted(check: RunningCheck): void
  checkEnded(status: CheckStatus): void
  finished(passed: boolean): void
}

export interface GradingObserver {
  exerciseStarted(job: ExerciseJob): ExerciseObserver
}
