// Machine-readable results: the result model as it is, for teachers' scripts and CI.

import type { RunResult } from '../engine/results.ts'

export function renderJson(result: RunResult): string {
  return JSON.stringify(result, null, 2) + '\n'
}
