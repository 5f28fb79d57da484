// A class for a gradebook: a header, then one row per student (their folder's name), one
// column per exercise holding its points (required checks passed, as the class table counts
// them), and the total. RFC 4180: CRLF line ends, a field quoted when it holds a comma, a quote
// or a line break.

import type { RunResult } from '../engine/results.ts'
import { passedRequired } from './class.ts'
import { classGrid } from './grid.ts'

/**
 * A spreadsheet reads a cell that starts with = + - @ (or a tab or carriage return) as a
 * formula, and a formula can run commands or send data away (OWASP's "CSV injection"). A
 * student names their own folder, so such a cell gets a leading apostrophe: shown as text.
 */
export function csvField(text: string): string {
  const inert = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
  return /[",\r\n]/.test(inert) ? `"${inert.replaceAll('"', '""')}"` : inert
}

export function renderCsv(result: RunResult): string {
  const grid = classGrid(result)
  const lines = [['student', ...grid.columns, 'points']]
  for (const row of grid.rows) {
    lines.push([row.name, ...row.cells.map((e) => (e ? String(passedRequired(e)) : '')), String(row.points)])
  }
  return lines.map((fields) => fields.map(csvField).join(',') + '\r\n').join('')
}
