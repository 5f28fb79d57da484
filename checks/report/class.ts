// A class at a glance: one row per submission, one column per exercise, points (required
// checks passed), then each submission's first problem in one line. The details are one
// --reporter json|junit|tap away.

import { basename } from 'node:path'
import type { ExerciseResult, RunResult } from '../engine/results.ts'
import { colors } from '../text/style.ts'
import { terminalSafeData } from '../text/bytes.ts'
import { t } from '../text/lang.ts'

export const passedRequired = (e: ExerciseResult) => e.checks.filter((c) => !c.stretch && c.status === 'pass').length
export const required = (e: ExerciseResult) => e.checks.filter((c) => !c.stretch).length
export const stars = (e: ExerciseResult) => e.checks.filter((c) => c.stretch && c.status === 'pass').length

/** One exercise's cell in a class table or page: ✓ 5/7 ⭐2, or why there was nothing to grade. */
export function cellLabel(e: ExerciseResult): string {
  if (e.error) return e.errorDetails ? t('✗ no compile') : t('✗ no file')
  const star = stars(e) ? ` ⭐${stars(e)}` : ''
  return `${e.passed ? '✓' : '✗'} ${passedRequired(e)}/${required(e)}${star}`
}

/** CJK characters and full-width forms: two terminal columns each. */
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/g

/** Columns a cell takes: a character each (✓, ⭐ as the table always counted them), a Chinese
 * one two, so that a table headed in Chinese, or a folder named so, stays aligned. */
const columnsOf = (text: string) => [...text].length + (text.match(WIDE)?.length ?? 0)

export function renderClass(raw: RunResult, options: { color: boolean }): string {
  const result = terminalSafeData(raw) // a program's words and a folder's name are data, not terminal commands
  const { green, red, bold } = colors(options.color)
  const submissions = [...new Set(result.exercises.map((e) => e.submission ?? ''))]
  const columns = [...new Set(result.exercises.map((e) => `${e.lesson} ${e.exercise}`))]
  // A submission whose file is missing ran no checks; its exercise is worth what the others' is.
  const worth = new Map(columns.map((column) => [column, Math.max(0, ...result.exercises.filter((e) => `${e.lesson} ${e.exercise}` === column).map(required))]))

  const cell = (e: ExerciseResult | undefined) => (e ? cellLabel(e) : '')
  const rows = submissions.map((submission) => {
    const mine = result.exercises.filter((e) => (e.submission ?? '') === submission)
    const points = mine.reduce((sum, e) => sum + passedRequired(e), 0)
    const total = columns.reduce((sum, column) => sum + worth.get(column)!, 0)
    return { submission, mine, cells: columns.map((column) => cell(mine.find((e) => `${e.lesson} ${e.exercise}` === column))), points: `${points}/${total}`, passed: mine.every((e) => e.passed) }
  })
  const header = [t('submission'), ...columns, t('points')]
  const table = [header, ...rows.map((row) => [basename(row.submission), ...row.cells, row.points])]
  const widths = header.map((_, i) => Math.max(...table.map((line) => columnsOf(line[i]!))))
  const line = (cells: string[]) => cells.map((text, i) => text + ' '.repeat(widths[i]! - columnsOf(text))).join('   ').trimEnd()

  const out = [bold(line(header))]
  for (const row of rows) out.push((row.passed ? green : red)(line([basename(row.submission), ...row.cells, row.points])))
  const problems = rows.flatMap((row) =>
    row.mine
      .filter((e) => !e.passed)
      .map((e) => {
        const check = e.checks.find((c) => c.status === 'fail' && !c.stretch)
        const what = e.error ?? t`${check?.title ?? check?.name}: ${check?.failure?.message ?? ''}`
        return `  ${basename(row.submission)} · ${e.lesson} ${e.exercise}: ${what}`
      }),
  )
  if (problems.length) out.push('', t('First problem of each exercise not yet passed:'), ...problems)
  out.push('', t`${rows.filter((row) => row.passed).length} of ${rows.length} submissions pass every exercise (seed ${result.seed}).`)
  return out.join('\n') + '\n'
}
