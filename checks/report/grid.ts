// A class as a grid, for the reporters that draw one (csv, html): a row per submission in the
// order graded, a column per exercise, and in each cell that submission's result.

import { basename } from 'node:path'
import type { ExerciseResult, RunResult } from '../engine/results.ts'
import { passedRequired, required } from './class.ts'

export interface GridRow {
  /** The submission folder as graded, '' outside a class. */
  submission: string
  /** Its folder's name, as the class table shows it. */
  name: string
  cells: (ExerciseResult | undefined)[]
  /** Required checks passed, over every exercise. */
  points: number
}

export interface Grid {
  /** `lesson-2 client`, as the class table heads its columns. */
  columns: string[]
  /** Each column's required checks: a submission with no file ran none, and is worth the same. */
  worth: number[]
  rows: GridRow[]
}

const columnOf = (e: ExerciseResult) => `${e.lesson} ${e.exercise}`

export function classGrid(result: RunResult): Grid {
  const columns = [...new Set(result.exercises.map(columnOf))]
  const worth = columns.map((column) => Math.max(0, ...result.exercises.filter((e) => columnOf(e) === column).map(required)))
  const submissions = [...new Set(result.exercises.map((e) => e.submission ?? ''))]
  const rows = submissions.map((submission) => {
    const mine = result.exercises.filter((e) => (e.submission ?? '') === submission)
    const cells = columns.map((column) => mine.find((e) => columnOf(e) === column))
    return { submission, name: basename(submission), cells, points: mine.reduce((sum, e) => sum + passedRequired(e), 0) }
  })
  return { columns, worth, rows }
}
