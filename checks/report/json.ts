// Machine-readable results: the result model as it is, for teachers' scripts and CI.

import type { RunResult } from '../engine/results.ts'

export function renderJson(result: RunResult): string {
  // JSON.stringify escapes C0 controls but leaves DEL and C1 (U+009B is a CSI) raw, which a
  // terminal showing the file would obey; they can only be inside strings, so \u escapes do.
  return JSON.stringify(result, null, 2).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) + '\n'
}
