// JUnit XML, as CI servers read it: one <testsuite> per exercise (per submission, for a class),
// one <testcase> per check. A ⭐ stretch check that fails is <skipped>: it must not turn a
// passing exercise red.

import type { RunResult } from '../engine/results.ts'
import { checkName, exerciseName, failureText } from './plain.ts'

/** XML 1.0 allows no control characters but tab and newlines, even escaped. */
const xml = (text: string) =>
  text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // Allowed in XML but obeyed by a terminal that shows the file: a character reference keeps them.
    .replace(/[\r\u007f-\u009f]/g, (c) => `&#x${c.charCodeAt(0).toString(16)};`)

const seconds = (ms: number) => (ms / 1000).toFixed(3)

export function renderJunit(result: RunResult): string {
  const suites: string[] = []
  let tests = 0
  let failures = 0
  for (const exercise of result.exercises) {
    const name = exerciseName(exercise)
    const cases: string[] = []
    let suiteFailures = 0
    if (exercise.error) {
      suiteFailures++
      cases.push(`    <testcase classname="${xml(name)}" name="the file to grade" time="0"><failure message="${xml(exercise.error)}">${xml((exercise.errorDetails ?? []).join('\n'))}</failure></testcase>`)
    }
    for (const check of exercise.checks) {
      // The name stays the English id; in another language, the check's own words go beside it.
      const title = check.title && check.title !== check.name ? `<properties><property name="title" value="${xml(check.title)}"/></properties>` : ''
      const open = `    <testcase classname="${xml(name)}" name="${xml(checkName(check))}" time="${seconds(check.durationMs)}">${title}`
      if (check.status === 'pass') cases.push(title ? `${open}</testcase>` : `${open.slice(0, -1)}/>`)
      else if (check.status === 'skip') cases.push(`${open}<skipped message="${xml(check.skipped ?? 'stretch, not run')}"/></testcase>`)
      else if (check.stretch) cases.push(`${open}<skipped message="${xml(`stretch goal not met: ${check.failure?.message ?? ''}`)}"/></testcase>`)
      else {
        suiteFailures++
        cases.push(`${open}<failure message="${xml(check.failure?.message ?? 'failed')}">${xml(failureText(check))}</failure></testcase>`)
      }
    }
    tests += cases.length
    failures += suiteFailures
    suites.push(
      `  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${suiteFailures}" time="${seconds(exercise.durationMs)}">\n${cases.join('\n')}\n  </testsuite>`,
    )
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="netlings" tests="${tests}" failures="${failures}">\n${suites.join('\n')}\n</testsuites>\n`
}
