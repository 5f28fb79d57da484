// Exercism's test-runner results.json, version 3, so the grader can serve as a test runner
// there. Statuses are pass, fail or error; "not run" checks are reported as fail with that
// reason, since a learner would otherwise think fewer things were checked.

import type { RunResult } from '../engine/results.ts'
import { checkName, errorText, exerciseName, failureText } from './plain.ts'

interface ExercismTest {
  name: string
  status: 'pass' | 'fail' | 'error'
  message?: string
}

export function renderExercism(result: RunResult): string {
  const many = result.exercises.length > 1
  const errors = result.exercises.filter((e) => e.error)
  const tests: ExercismTest[] = result.exercises.flatMap((exercise) =>
    exercise.checks.map((check) => ({
      name: many ? `${exerciseName(exercise)}: ${checkName(check)}` : checkName(check),
      status: check.status === 'pass' ? 'pass' : 'fail',
      ...(check.status === 'pass' ? {} : { message: failureText(check) }),
    })),
  )
  const report =
    errors.length > 0
      ? { version: 3, status: 'error', message: errors.map((e) => `${exerciseName(e)}: ${errorText(e)}`).join('\n'), tests }
      : { version: 3, status: result.passed ? 'pass' : 'fail', tests }
  return JSON.stringify(report, null, 2) + '\n'
}
