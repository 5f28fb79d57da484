// Every reporter by its --reporter name, for the commands that print a result (check, and
// merge for the shards of a class).

import type { RunResult } from '../engine/results.ts'
import { renderClass } from './class.ts'
import { renderCsv } from './csv.ts'
import { renderExercism } from './exercism.ts'
import { renderHtml } from './html.ts'
import { renderJson } from './json.ts'
import { renderJunit } from './junit.ts'
import { renderTap } from './tap.ts'
import { renderText } from './text.ts'

export const REPORTERS = ['text', 'json', 'junit', 'tap', 'exercism', 'csv', 'html'] as const
export type Reporter = (typeof REPORTERS)[number]

export interface RenderOptions {
  color: boolean
  /** The command that re-runs this grading, for the text report. */
  rerun: string
  /** A class of submissions: the text report is the class table. */
  asClass: boolean
}

export function render(reporter: Reporter, result: RunResult, options: RenderOptions): string {
  const renderers: Record<Reporter, () => string> = {
    text: () => (options.asClass ? renderClass(result, { color: options.color }) : renderText(result, options)),
    json: () => renderJson(result),
    junit: () => renderJunit(result),
    tap: () => renderTap(result),
    exercism: () => renderExercism(result),
    csv: () => renderCsv(result),
    html: () => renderHtml(result),
  }
  return renderers[reporter]()
}

/** Exit code 0 or 1: every required check passed, or with --strict every check. */
export function verdict(result: RunResult, strict: boolean): 0 | 1 {
  const passed = strict ? result.exercises.every((e) => !e.error && e.checks.every((c) => c.status === 'pass')) : result.passed
  return passed ? 0 : 1
}
