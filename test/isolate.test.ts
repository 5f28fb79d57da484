// --isolate grades in a network namespace with only loopback: the submission still reaches
// the grader's peers, and sees no other network.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { networkInterfaces, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { cli, survivorsAfter } from './helpers.ts'

afterEach(async () => {
  expect(await survivorsAfter(1500)).toEqual([])
})

test('a correct program passes inside the namespace', async () => {
  const run = await cli(['lesson-2', '--solution', '--isolate', '--json'])
  expect(run.stderr).toBe('')
  expect(run.exitCode).toBe(0)
  expect(JSON.parse(run.stdout).passed).toBe(true)
})

test('a submission sees only loopback under --isolate', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'netlings-isolate-'))
  mkdirSync(join(dir, 'lesson-2-client-basics'))
  writeFileSync(
    join(dir, 'lesson-2-client-basics', 'client.ts'),
    "import os from 'node:os'\nconsole.log(`interfaces: ${Object.keys(os.networkInterfaces()).sort().join(',')}`)\n",
  )
  const seen = async (extra: string[]) => {
    const run = await cli(['lesson-2', '--dir', dir, '--json', ...extra])
    return JSON.parse(run.stdout).exercises[0].output.stdout.find((line: string) => line.startsWith('interfaces: '))
  }
  expect(await seen(['--isolate'])).toBe('interfaces: lo')
  // Outside, this machine has more than loopback: the namespace is what took it away.
  if (Object.keys(networkInterfaces()).length > 1) expect(await seen([])).not.toBe('interfaces: lo')
})
