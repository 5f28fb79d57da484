// Each reporter renders the one result model in its format's own terms, and a teacher can
// grade a class of submissions at once: every verdict right, nothing left running.

import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { renderClass } from '../checks/report/class.ts'
import { renderExercism } from '../checks/report/exercism.ts'
import { renderJunit } from '../checks/report/junit.ts'
import { renderTap } from '../checks/report/tap.ts'
import type { CheckResult, ExerciseResult, RunResult } from '../checks/engine/results.ts'
import { cli, root, survivorsAfter } from './helpers.ts'

const check = (name: string, status: CheckResult['status'], stretch = false, message?: string): CheckResult => ({
  name,
  stretch,
  status,
  durationMs: 12,
  ...(status === 'fail' ? { failure: { message: message ?? 'It broke.', details: ['Expected: "a"', 'Received: "b"'], why: 'Because.' } } : {}),
  ...(status === 'skip' ? { skipped: 'an earlier check failed' } : {}),
})

const exercise = (submission: string | undefined, checks: CheckResult[], extra: Partial<ExerciseResult> = {}): ExerciseResult => ({
  submission,
  lesson: 'lesson-1',
  exercise: 'server',
  number: '1.1',
  title: 'A server',
  file: 'server.ts',
  checks,
  passed: checks.every((c) => c.stretch || c.status === 'pass'),
  seed: 7,
  durationMs: 100,
  ...extra,
})

const result: RunResult = {
  passed: false,
  seed: 7,
  exercises: [
    exercise('/class/ada', [check('greets', 'pass'), check('echoes <all> & "more" #1', 'pass'), check('survives a reset', 'fail', true, 'Crashed.')]),
    exercise('/class/bob', [check('greets', 'pass'), check('echoes <all> & "more" #1', 'fail', false, 'Sent \u0000 & <junk>.'), check('survives a reset', 'skip', true)]),
    exercise('/class/cy', [], { error: 'There is no file at /class/cy/server.ts.', passed: false }),
  ],
}

describe('TAP', () => {
  const tap = renderTap(result).split('\n')
  test('a plan that counts every test point', () => {
    expect(tap[0]).toBe('TAP version 13')
    expect(tap[1]).toBe(`1..${tap.filter((line) => /^(not )?ok \d+ /.test(line)).length}`)
    expect(tap[1]).toBe('1..7')
  })
  test('a failing stretch goal is a TODO, a skipped check a SKIP, a # in a name escaped', () => {
    expect(tap).toContain('not ok 3 - ada · lesson-1 server: ⭐ survives a reset # TODO stretch goal')
    expect(tap).toContain('ok 6 - bob · lesson-1 server: ⭐ survives a reset # SKIP an earlier check failed')
    expect(tap).toContain('not ok 5 - bob · lesson-1 server: echoes <all> & "more" \\#1')
    expect(tap).toContain('not ok 7 - cy · lesson-1 server')
    expect(tap.join('\n')).toContain('    Expected: "a"')
  })
})

describe('JUnit', () => {
  const xml = renderJunit(result)
  test('counts tests and failures, a stretch goal never being a failure', () => {
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="netlings" tests="7" failures="2">/)
    expect(xml).toContain('<testsuite name="ada · lesson-1 server" tests="3" failures="0" time="0.100">')
    expect(xml).toContain('<skipped message="stretch goal not met: Crashed."/>')
    expect(xml).toContain('<testsuite name="cy · lesson-1 server" tests="1" failures="1"')
  })
  test('escapes markup, and replaces control characters XML cannot hold', () => {
    expect(xml).toContain('name="echoes &lt;all&gt; &amp; &quot;more&quot; #1"')
    expect(xml).toContain('message="Sent \ufffd &amp; &lt;junk&gt;."')
    expect(xml).not.toMatch(/[\u0000-\u0008]/)
    // Every element opened is closed: a cheap well-formedness check without an XML parser.
    const opened = [...xml.matchAll(/<(testsuites|testsuite|testcase|failure)[\s>]/g)].length
    const closed = [...xml.matchAll(/<\/(testsuites|testsuite|testcase|failure)>|<(testcase|failure|skipped)[^>]*\/>/g)].length
    expect(closed).toBeGreaterThanOrEqual(opened)
  })
  test('in Chinese, keeps the English name and adds the check\'s Chinese title as a property', () => {
    const chinese = renderJunit({ passed: true, seed: 1, exercises: [exercise(undefined, [{ ...check('greets', 'pass'), title: '打招呼' }, check('same', 'pass')])] })
    expect(chinese).toContain('<testcase classname="lesson-1 server" name="greets" time="0.012"><properties><property name="title" value="打招呼"/></properties></testcase>')
    expect(chinese).toContain('<testcase classname="lesson-1 server" name="same" time="0.012"/>')
  })
})

describe('Exercism results.json v3', () => {
  test('pass, fail, and error for a missing file', () => {
    const one = (exercises: ExerciseResult[]) => JSON.parse(renderExercism({ passed: exercises.every((e) => e.passed), seed: 7, exercises }))
    const passing = one([exercise(undefined, [check('greets', 'pass'), check('survives a reset', 'fail', true)])])
    expect(passing).toMatchObject({ version: 3, status: 'pass' })
    expect(passing.tests).toEqual([
      { name: 'greets', status: 'pass' },
      { name: '⭐ survives a reset', status: 'fail', message: 'It broke.\nExpected: "a"\nReceived: "b"\nWhy: Because.' },
    ])
    expect(one([result.exercises[1]!])).toMatchObject({ version: 3, status: 'fail' })
    expect(one([result.exercises[1]!]).tests[2]).toEqual({ name: '⭐ survives a reset', status: 'fail', message: 'Not run: an earlier check failed.' })
    expect(one([result.exercises[2]!])).toMatchObject({ version: 3, status: 'error', message: 'cy · lesson-1 server: There is no file at /class/cy/server.ts.' })
  })
})

test('the class table: a row per submission, points, and each first problem', () => {
  const text = renderClass(result, { color: false })
  expect(text).toContain('submission   lesson-1 server   points')
  expect(text).toMatch(/ada\s+✓ 2\/2\s+2\/2/)
  expect(text).toMatch(/bob\s+✗ 1\/2\s+1\/2/)
  expect(text).toMatch(/cy\s+✗ no file\s+0\/2/)
  expect(text).toContain('  bob · lesson-1 server: echoes <all> & "more" #1: Sent \\x00 & <junk>.') // escaped: a terminal acts on control bytes
  expect(text).toContain('1 of 3 submissions pass every exercise (seed 7).')
})

describe('a class of submissions', () => {
  afterEach(async () => {
    expect(await survivorsAfter(1500)).toEqual([])
  })

  test('10 submissions graded side by side: each verdict right, on ports of their own', async () => {
    const base = mkdtempSync(join(tmpdir(), 'netlings-class-'))
    // Five right answers in two styles, five with a bug each: the same lesson, graded at once.
    const programs: Record<string, string> = {
      'a-solution': 'solutions/lesson-2-client-basics/client.ts',
      'b-once': 'test/styles/lesson-2/client/once.ts',
      'c-readline': 'test/styles/lesson-2/client/readline.ts',
      'd-solution': 'solutions/lesson-2-client-basics/client.ts',
      'e-once': 'test/styles/lesson-2/client/once.ts',
      'f-hard-coded-port': 'test/fixtures/lesson-2/client/hard-coded-port.ts',
      'g-prints-each-chunk': 'test/fixtures/lesson-2/client/prints-each-chunk.ts',
      'h-missing-newline': 'test/fixtures/lesson-2/client/missing-newline.ts',
      'i-sends-twice': 'test/fixtures/lesson-2/client/sends-twice.ts',
      'j-exits-with-error-code': 'test/fixtures/lesson-2/client/exits-with-error-code.ts',
    }
    const dirs = Object.entries(programs).map(([name, file]) => {
      const dir = join(base, name)
      mkdirSync(join(dir, 'lesson-2-client-basics'), { recursive: true })
      copyFileSync(join(root, file), join(dir, 'lesson-2-client-basics', 'client.ts'))
      return dir
    })
    const run = await cli(['lesson-2', '--dir', ...dirs, '--json'])
    expect(run.exitCode).toBe(1)
    const graded = JSON.parse(run.stdout).exercises as ExerciseResult[]
    expect(graded.map((e) => [e.submission, e.passed])).toEqual(dirs.map((dir, i) => [dir, i < 5]))
    const table = await cli(['lesson-2', '--dir', ...dirs.slice(0, 3)])
    expect(table.stdout).toContain('3 of 3 submissions pass every exercise')
  }, 120_000)
})
