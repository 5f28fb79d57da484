// A line of the learner's own code with a caret under one column, the way compilers show it:
//
//   17 |   const chunks: Buffer[] = ]
//      |                            ^
//
// For a syntax error, a crash's top frame, a loop that never ends.

import { displayWidth } from './bytes.ts'
import { readRegularFile } from '../run/regular-file.ts'

/** Columns of the line shown around the caret; a longer line is cut, with … at the cuts. */
const WINDOW = 72

/**
 * `line` (1-based) of `source` with a caret under `column` (1-based, in UTF-16 units as V8 and
 * TypeScript count). Tabs become two spaces; the caret is placed by display width, so it sits
 * under CJK text too. Empty when the line does not exist.
 */
export function sourceExcerpt(source: string, line: number, column: number): string[] {
  const text = source.split(/\r?\n/)[line - 1]
  if (text === undefined) return []
  const tabs = (part: string) => part.replaceAll('\t', '  ')
  let before = tabs(text.slice(0, Math.max(0, column - 1)))
  let after = tabs(text.slice(Math.max(0, column - 1))).trimEnd()
  // Keep the caret within the window: cut the start first, then the end.
  if (displayWidth(before) > WINDOW - 16) {
    while (displayWidth(before) > WINDOW - 20) before = before.slice(1)
    before = `…${before}`
  }
  if (displayWidth(before + after) > WINDOW) {
    while (after.length > 1 && displayWidth(before + after) > WINDOW - 1) after = after.slice(0, -1)
    after = `${after}…`
  }
  const number = String(line)
  return [`${number} | ${before}${after}`, `${' '.repeat(number.length)} | ${' '.repeat(displayWidth(before))}^`]
}

/** The same, read from a file; empty when it cannot be read. */
export function fileExcerpt(file: string, line: number, column: number): string[] {
  try {
    return sourceExcerpt(readRegularFile(file).toString('utf8'), line, column)
  } catch {
    return []
  }
}
