// Under --isolate every program runs in a bubblewrap sandbox. Each hostile program in
// test/hostile/lesson-1 tries one harm or cheat from issue 12 and is otherwise the lesson's
// server: graded under --isolate, it gets a verdict for itself alone (a failing one where only
// the cheat would have passed it), harms nothing outside, and leaves nothing running.

import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { cli, root, survivorsAfter } from './helpers.ts'

const hostile = join(root, 'test', 'hostile', 'lesson-1')
const home = mkdtempSync(join(tmpdir(), 'netlings-teacher-home-'))
const SECRET = `teacher-token-${process.pid}`

interface Verdict {
  passed: boolean
  exercises: Array<{ checks: Array<{ name: string; stretch: boolean; status: string; failure?: { message: string } }>; output: { stderr: string[] } }>
}

/** Each attempt, and the first check it must fail (undefined: it passes, as the server it also is). */
const expected: Record<string, { failsOn?: string; says?: string }> = {
  'reads-solutions': { failsOn: 'greets each client', says: 'sent nothing' },
  'reads-grader-environment': { failsOn: 'greets each client', says: 'sent nothing' },
  'behaves-only-when-graded': { failsOn: 'greets each client', says: 'sent nothing' },
  'writes-authorized-keys': {},
  'leaves-children': {},
  'kills-the-grader': {},
  'fills-the-disk': { failsOn: 'listens on the HOST and PORT', says: 'EFBIG' },
  'fills-tmp': { failsOn: 'listens on the HOST and PORT', says: 'ENOSPC' },
}

test('every hostile program has its expected verdict here', () => {
  expect(readdirSync(hostile).map((name) => basename(name, '.ts')).sort()).toEqual(Object.keys(expected).sort())
})

/** Grades one hostile program as a class submission, with the teacher's HOME and a secret. */
async function graded(name: string): Promise<{ verdict: Verdict; stdout: string }> {
  const dir = mkdtempSync(join(tmpdir(), `netlings-${name}-`))
  mkdirSync(join(dir, 'lesson-1-server-basics'))
  copyFileSync(join(hostile, `${name}.ts`), join(dir, 'lesson-1-server-basics', 'server.ts'))
  const run = await cli(['lesson-1', '--dir', dir, '--isolate', '--json'], { env: { HOME: home, TEACHER_SECRET: SECRET } })
  expect(run.stderr).toBe('')
  return { verdict: JSON.parse(run.stdout) as Verdict, stdout: run.stdout }
}

describe.concurrent('under --isolate', () => {
  for (const [name, { failsOn, says }] of Object.entries(expected)) {
    test(name, async () => {
      const { verdict, stdout } = await graded(name)
      const checks = verdict.exercises[0]!.checks
      const failed = checks.find((check) => check.status === 'fail' && !check.stretch)
      if (failsOn === undefined) {
        expect(failed?.failure?.message).toBeUndefined()
        expect(verdict.passed).toBe(true)
      } else {
        expect(failed?.name).toContain(failsOn)
        expect(failed?.failure?.message).toContain(says)
        expect(verdict.passed).toBe(false)
      }
      // Nothing of the teacher's reached the report through the program.
      expect(stdout).not.toContain(SECRET)
    })
  }
})

afterAll(async () => {
  // No key reached the teacher's home, and every program and child ended with its sandbox.
  expect(existsSync(join(home, '.ssh'))).toBe(false)
  expect(await survivorsAfter(1500)).toEqual([])
})

test('without bubblewrap, --isolate refuses and says how to install it', async () => {
  // Only node on PATH (a folder with a link to it): no bwrap to find.
  const bin = mkdtempSync(join(tmpdir(), 'netlings-path-'))
  symlinkSync(process.execPath, join(bin, 'node'))
  const run = await cli(['lesson-1', '--solution', '--isolate'], { env: { PATH: bin } })
  expect(run.exitCode).toBe(2)
  expect(run.stdout).toBe('')
  expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining('apt-get install bubblewrap')])
})
