// TAP version 13, one test point per check. A ⭐ stretch check that fails is a TODO: TAP's own
// word for "expected to fail for now", which harnesses do not count as a failure.

import type { RunResult } from '../engine/results.ts'
import { checkName, errorText, exerciseName, failureText } from './plain.ts'
import { terminalSafeData } from '../text/bytes.ts'

const yamlBlock = (text: string) => ['  ---', '  message: |', ...text.split('\n').map((line) => `    ${line}`), '  ...']

export function renderTap(raw: RunResult): string {
  const result = terminalSafeData(raw) // TAP is read in terminals too: what programs printed goes in escaped
  const lines = ['TAP version 13']
  let count = 0
  for (const exercise of result.exercises) {
    const name = exerciseName(exercise)
    if (exercise.error) {
      lines.push(`not ok ${++count} - ${name}`, ...yamlBlock(errorText(exercise)))
      continue
    }
    for (const check of exercise.checks) {
      const title = `${name}: ${checkName(check)}`.replace(/#/g, '\\#')
      if (check.status === 'pass') lines.push(`ok ${++count} - ${title}`)
      else if (check.status === 'skip') lines.push(`ok ${++count} - ${title} # SKIP ${check.skipped ?? 'stretch, not run'}`)
      else lines.push(`not ok ${++count} - ${title}${check.stretch ? ' # TODO stretch goal' : ''}`, ...yamlBlock(failureText(check)))
    }
  }
  lines.splice(1, 0, `1..${count}`)
  return lines.join('\n') + '\n'
}
