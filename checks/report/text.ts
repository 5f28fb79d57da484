// What a learner reads in the terminal: one line per check, then, for the first failure, the
// exchange, what was expected, why it matters and where to read about it. One screen.

import type { CheckResult, ExerciseResult, FailureReport, RunResult, TypeErrors } from '../engine/results.ts'
import { colors, type Colors } from '../text/style.ts'
import { capitalize } from '../text/words.ts'
import { terminalSafe, terminalSafeData } from '../text/bytes.ts'
import { t } from '../text/lang.ts'

/** A label before its text: "Why: …" in English; a full-width colon is its own space ("原因：…"). */
const labelled = (label: string, p: Colors) => `${p.cyan(label)}${label.endsWith('：') ? '' : ' '}`

export interface TextOptions {
  color: boolean
  /** The command that re-runs this grading, without the seed: `npm run check -- lesson-1`. */
  rerun: string
}

function checkLine(check: CheckResult, p: Colors): string {
  if (check.status === 'skip') {
    const why = check.stretch ? t('(stretch, not run)') : t`(not run: ${check.skipped})`
    return `  ${p.dim('·')} ${p.dim((check.title ?? check.name))}  ${p.dim(why)}`
  }
  if (check.stretch) {
    return check.status === 'pass'
      ? `  ${p.yellow('⭐')} ${(check.title ?? check.name)}  ${p.dim(t('(stretch)'))}`
      : `  ${p.red('✗')} ${(check.title ?? check.name)}  ${p.dim(t('(⭐ stretch: not needed to pass)'))}`
  }
  return check.status === 'pass' ? `  ${p.green('✓')} ${(check.title ?? check.name)}` : `  ${p.red('✗')} ${(check.title ?? check.name)}`
}

function failureBlock(exercise: ExerciseResult, check: CheckResult, failure: FailureReport, options: TextOptions, p: Colors): string[] {
  const lines: string[] = ['', p.bold(`${p.red('✗')} ${(check.title ?? check.name)}${check.stretch ? t('  (⭐ stretch goal)') : ''}`)]
  lines.push(`  ${failure.message}`)
  for (const detail of failure.details) lines.push(`  ${detail}`)
  if (failure.why) lines.push(`  ${labelled(t('Why:'), p)}${failure.why}`)
  if (failure.see) lines.push(`  ${labelled(t('Read:'), p)}${failure.see.file} § ${failure.see.section}`)
  const output = exercise.output
  if (output) {
    const label = capitalize(output.label)
    // The details show stdout already where a line says what it printed (engine/expect.ts).
    const printed = [t`${label} printed`, t`${label} printed nothing.`]
    const showsStdout = failure.details.some((line) => printed.some((start) => line.startsWith(start)))
    if (output.stderr.length > 0) lines.push(`  ${t`${label} wrote to stderr:`}`, ...output.stderr.map((l) => p.dim(`    ${l}`)))
    else if (output.stdout.length > 0 && !showsStdout) lines.push(`  ${t`${label} printed (last lines):`}`, ...output.stdout.map((l) => p.dim(`    ${l}`)))
    if (output.capped) lines.push(p.dim(t('  (output was capped: the grader keeps only the first 256 KiB)')))
  }
  const hint = exercise.hint
  if (!check.stretch && hint) lines.push(`  ${labelled(t`Hint ${hint.number} of ${hint.total}:`, p)}${hint.text}`)
  lines.push(`  ${t`Re-run this exact case: ${terminalSafe(options.rerun)} --seed ${exercise.seed}`}`)
  return lines
}

export function renderExercise(raw: ExerciseResult, options: TextOptions): string[] {
  // What a program printed, threw or named is data: escaped here, before any colour is added.
  const exercise = terminalSafeData(raw)
  const p = colors(options.color)
  const lines = [p.bold(`${exercise.lesson} · ${exercise.file}`) + p.dim(`  ${t`(${exercise.number} ${exercise.title})`}`)]
  if (exercise.error) {
    lines.push(`  ${p.red('✗')} ${exercise.error}`, ...(exercise.errorDetails ?? []).map((line) => `    ${line}`))
    return exercise.errorDetails ? [...lines, '', t`${p.red(t('✗ not yet'))}: ${exercise.error}`] : lines
  }
  lines.push(...exercise.checks.map((check) => checkLine(check, p)))
  const failed = exercise.checks.find((c) => c.status === 'fail' && !c.stretch) ?? exercise.checks.find((c) => c.status === 'fail')
  if (failed?.failure) lines.push(...failureBlock(exercise, failed, failed.failure, options, p))
  const required = exercise.checks.filter((c) => !c.stretch)
  const stretch = exercise.checks.filter((c) => c.stretch)
  const passed = (list: CheckResult[]) => list.filter((c) => c.status === 'pass').length
  const stars = stretch.length ? t`, ⭐ ${passed(stretch)} of ${stretch.length} stretch` : ''
  const verdict = exercise.passed ? p.green(t('✓ passed')) : p.red(t('✗ not yet'))
  lines.push('', t`${verdict}: ${passed(required)} of ${required.length} checks${stars}`)
  if (exercise.typeErrors) lines.push(...typeNote(exercise.typeErrors, p))
  return lines
}

/** After the verdict, as a note: type errors never change it. */
export function typeNote(raw: TypeErrors, p: Colors): string[] {
  const errors = terminalSafeData(raw)
  const found = errors.count === 1 ? t('TypeScript finds 1 type error in this file. It does not change the verdict.') : t`TypeScript finds ${errors.count} type errors in this file. They do not change the verdict.`
  const lines = ['', `${p.cyan(t('Note:'))} ${found}`]
  for (const error of errors.first) lines.push(`  ${error.at} ${p.dim(`TS${error.code}:`)} ${error.message}`)
  const more = errors.count - errors.first.length
  if (more > 0) lines.push(`  ${t`…and ${more} more. Your editor shows them all.`}`)
  return lines
}

export function renderText(result: RunResult, options: TextOptions): string {
  return result.exercises.map((exercise) => renderExercise(exercise, options).join('\n')).join('\n\n') + '\n'
}
