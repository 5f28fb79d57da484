// What a learner reads in the terminal: one line per check, then, for the first failure, the
// exchange, what was expected, why it matters and where to read about it. One screen.

import type { CheckResult, ExerciseResult, FailureReport, RunResult, TypeErrors } from '../engine/results.ts'
import { colors, type Colors } from '../text/style.ts'
import { capitalize } from '../text/words.ts'
import { terminalSafe, terminalSafeData } from '../text/bytes.ts'

export interface TextOptions {
  color: boolean
  /** The command that re-runs this grading, without the seed: `npm run check -- lesson-1`. */
  rerun: string
}

function checkLine(check: CheckResult, p: Colors): string {
  if (check.status === 'skip') {
    const why = check.stretch ? 'stretch, not run' : `not run: ${check.skipped}`
    return `  ${p.dim('·')} ${p.dim((check.title ?? check.name))}  ${p.dim(`(${why})`)}`
  }
  if (check.stretch) {
    return check.status === 'pass'
      ? `  ${p.yellow('⭐')} ${(check.title ?? check.name)}  ${p.dim('(stretch)')}`
      : `  ${p.red('✗')} ${(check.title ?? check.name)}  ${p.dim('(⭐ stretch: not needed to pass)')}`
  }
  return check.status === 'pass' ? `  ${p.green('✓')} ${(check.title ?? check.name)}` : `  ${p.red('✗')} ${(check.title ?? check.name)}`
}

function failureBlock(exercise: ExerciseResult, check: CheckResult, failure: FailureReport, options: TextOptions, p: Colors): string[] {
  const lines: string[] = ['', p.bold(`${p.red('✗')} ${(check.title ?? check.name)}${check.stretch ? '  (⭐ stretch goal)' : ''}`)]
  lines.push(`  ${failure.message}`)
  for (const detail of failure.details) lines.push(`  ${detail}`)
  if (failure.why) lines.push(`  ${p.cyan('Why:')} ${failure.why}`)
  if (failure.see) lines.push(`  ${p.cyan('Read:')} ${failure.see.file} § ${failure.see.section}`)
  const output = exercise.output
  if (output) {
    const label = capitalize(output.label)
    const showsStdout = failure.details.some((line) => line.startsWith(`${label} printed`))
    if (output.stderr.length > 0) lines.push(`  ${label} wrote to stderr:`, ...output.stderr.map((l) => p.dim(`    ${l}`)))
    else if (output.stdout.length > 0 && !showsStdout) lines.push(`  ${label} printed (last lines):`, ...output.stdout.map((l) => p.dim(`    ${l}`)))
    if (output.capped) lines.push(p.dim('  (output was capped: the grader keeps only the first 256 KiB)'))
  }
  const hint = exercise.hint
  if (!check.stretch && hint) lines.push(`  ${p.cyan(`Hint ${hint.number} of ${hint.total}:`)} ${hint.text}`)
  lines.push(`  Re-run this exact case: ${terminalSafe(options.rerun)} --seed ${exercise.seed}`)
  return lines
}

export function renderExercise(raw: ExerciseResult, options: TextOptions): string[] {
  // What a program printed, threw or named is data: escaped here, before any colour is added.
  const exercise = terminalSafeData(raw)
  const p = colors(options.color)
  const lines = [p.bold(`${exercise.lesson} · ${exercise.file}`) + p.dim(`  (${exercise.number} ${exercise.title})`)]
  if (exercise.error) {
    lines.push(`  ${p.red('✗')} ${exercise.error}`, ...(exercise.errorDetails ?? []).map((line) => `    ${line}`))
    return exercise.errorDetails ? [...lines, '', `${p.red('✗ not yet')}: ${exercise.error}`] : lines
  }
  lines.push(...exercise.checks.map((check) => checkLine(check, p)))
  const failed = exercise.checks.find((c) => c.status === 'fail' && !c.stretch) ?? exercise.checks.find((c) => c.status === 'fail')
  if (failed?.failure) lines.push(...failureBlock(exercise, failed, failed.failure, options, p))
  const required = exercise.checks.filter((c) => !c.stretch)
  const stretch = exercise.checks.filter((c) => c.stretch)
  const passed = (list: CheckResult[]) => list.filter((c) => c.status === 'pass').length
  const stars = stretch.length ? `, ⭐ ${passed(stretch)} of ${stretch.length} stretch` : ''
  const verdict = exercise.passed ? p.green('✓ passed') : p.red('✗ not yet')
  lines.push('', `${verdict}: ${passed(required)} of ${required.length} checks${stars}`)
  if (exercise.typeErrors) lines.push(...typeNote(exercise.typeErrors, p))
  return lines
}

/** After the verdict, as a note: type errors never change it. */
export function typeNote(raw: TypeErrors, p: Colors): string[] {
  const errors = terminalSafeData(raw)
  const some = errors.count === 1 ? '1 type error in this file. It does' : `${errors.count} type errors in this file. They do`
  const lines = ['', `${p.cyan('Note:')} TypeScript finds ${some} not change the verdict.`]
  for (const error of errors.first) lines.push(`  ${error.at} ${p.dim(`TS${error.code}:`)} ${error.message}`)
  const more = errors.count - errors.first.length
  if (more > 0) lines.push(`  …and ${more} more. Your editor shows them all.`)
  return lines
}

export function renderText(result: RunResult, options: TextOptions): string {
  return result.exercises.map((exercise) => renderExercise(exercise, options).join('\n')).join('\n\n') + '\n'
}
