// The grader talks to programs only over sockets and stdio, so any language can be graded:
// the seed article's own Python programs, fixed, pass lessons 1 and 2.

import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { cli, root, survivorsAfter } from './helpers.ts'

const pythonDir = join(root, 'test', 'other-languages')

afterEach(async () => {
  expect(await survivorsAfter(1500)).toEqual([])
})

test('a .py file runs with python3 by default: the fixed seed server and client pass', async () => {
  const run = await cli(['all', '--dir', pythonDir, '--json'])
  const results = JSON.parse(run.stdout).exercises as Array<{ lesson: string; file: string; passed: boolean; error?: string }>
  const graded = results.filter((r) => !r.error)
  expect(graded.map((r) => [r.lesson, r.file.endsWith('.py'), r.passed])).toEqual([
    ['lesson-1', true, true],
    ['lesson-2', true, true],
  ])
})

test('--cmd runs each file with the given command', async () => {
  const run = await cli(['lesson-2', '--dir', pythonDir, '--cmd', 'python3 -X utf8 {file}'])
  expect(run.exitCode).toBe(0)
  expect(run.stdout).toContain('client.py')
})

test("the seed's one recv(1024) per message fails where a TypeScript program would", async () => {
  const fixed = readFileSync(join(pythonDir, 'lesson-1-server-basics', 'server.py'), 'utf8')
  const seedLike = fixed.replace(
    /            data = bytearray\(\)\n[\s\S]*?                data \+= chunk\n/,
    '            data = connect.recv(1024)  # the seed: one recv taken for one message\n',
  )
  expect(seedLike).not.toBe(fixed)
  const dir = mkdtempSync(join(tmpdir(), 'netlings-python-'))
  mkdirSync(join(dir, 'lesson-1-server-basics'))
  writeFileSync(join(dir, 'lesson-1-server-basics', 'server.py'), seedLike)
  const run = await cli(['lesson-1', '--dir', dir])
  expect(run.exitCode).toBe(1)
  expect(run.stdout).toContain('✗ prints a line that arrives one byte at a time')
})

test('--cmd without {file} is a usage error', async () => {
  const run = await cli(['lesson-2', '--dir', pythonDir, '--cmd', 'python3'])
  expect(run.exitCode).toBe(2)
  expect(run.stderr).toContain('--cmd needs {file}')
})
