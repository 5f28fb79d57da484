// What every machine-readable reporter says the same way: an exercise's name, and a failure
// as plain text (its message, evidence, why and where to read).

import { basename } from 'node:path'
import type { CheckResult, ExerciseResult } from '../engine/results.ts'

/** `lesson-1 server`, or `ada · lesson-1 server` when grading a class. */
export const exerciseName = (result: ExerciseResult) =>
  `${result.submission ? `${basename(result.submission)} · ` : ''}${result.lesson} ${result.exercise}`

export const checkName = (check: CheckResult) => `${check.stretch ? '⭐ ' : ''}${check.name}`

export function failureText(check: CheckResult): string {
  const failure = check.failure
  if (!failure) return check.skipped ? `Not run: ${check.skipped}.` : ''
  return [
    failure.message,
    ...failure.details,
    failure.why ? `Why: ${failure.why}` : '',
    failure.see ? `Read: ${failure.see.file} § ${failure.see.section}` : '',
  ]
    .filter(Boolean)
    .join('\n')
}

/** An exercise's error with what the grader knows of it: where the file does not compile. */
export const errorText = (exercise: ExerciseResult): string => [exercise.error ?? '', ...(exercise.errorDetails ?? [])].join('\n')
